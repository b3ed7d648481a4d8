"""The command line on assessment workbooks: results from .xlsx, and exit 2 naming sheet, row and column."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from kaohe.workbook import read_workbook, write_workbook

VECTORS = Path(__file__).parent.parent / "engine" / "vectors"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kaohe.cli", *args], capture_output=True, text=True, timeout=120)


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    scenario = json.loads((VECTORS / "08_threshold_value_and_rate.json").read_text(encoding="utf-8"))["scenario"]
    path = tmp_path / "scenario.xlsx"
    write_workbook(scenario, path)
    return path


def edit(path: Path, sheet: str, header: str, row: int, value: object) -> None:
    """Set the cell under `header` (matched on its Chinese part) in Excel row `row`."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    col = next(c.column for c in ws[1] if c.value and str(c.value).startswith(header))
    ws.cell(row=row, column=col, value=value)
    wb.save(path)


def broken(path: Path) -> str:
    p = run("compute", str(path))
    assert p.returncode == 2, p.stdout
    assert "Traceback" not in p.stderr
    return p.stderr


def test_compute_reads_a_workbook_as_it_reads_the_json(workbook: Path, tmp_path: Path) -> None:
    from_xlsx = run("compute", str(workbook))
    assert from_xlsx.returncode == 0, from_xlsx.stderr
    as_json = tmp_path / "s.json"
    assert run("convert", str(workbook), "-o", str(as_json)).returncode == 0
    from_json = run("compute", str(as_json))
    assert json.loads(from_xlsx.stdout) == json.loads(from_json.stdout)
    assert [u["total"] for u in json.loads(from_json.stdout)["units"]] == [20.0, 14.2, 0.0]


def test_convert_round_trip_gives_the_same_scenario(workbook: Path, tmp_path: Path) -> None:
    js, back = tmp_path / "s.json", tmp_path / "back.xlsx"
    assert run("convert", str(workbook), "-o", str(js)).returncode == 0
    assert run("convert", str(js), "-o", str(back)).returncode == 0
    assert read_workbook(back) == read_workbook(workbook) == json.loads(js.read_text(encoding="utf-8"))


def test_a_wrong_header_is_named_with_its_sheet_and_column(workbook: Path) -> None:
    edit(workbook, "数据", "实际值", 1, "实绩值")
    err = broken(workbook)
    assert "数据" in err and "实绩值" in err


def test_text_in_a_number_column_names_sheet_row_and_column(workbook: Path) -> None:
    edit(workbook, "数据", "实际值", 3, "七十五")
    err = broken(workbook)
    assert "数据" in err and "第3行" in err and "七十五" in err


def test_an_unknown_unit_names_sheet_row_and_the_unit(workbook: Path) -> None:
    edit(workbook, "数据", "单位", 4, "U404")
    err = broken(workbook)
    assert "数据" in err and "第4行" in err and "U404" in err


def test_a_duplicate_id_is_named(workbook: Path) -> None:
    edit(workbook, "单位", "编号", 3, "U1")
    err = broken(workbook)
    assert "单位" in err and "第3行" in err and "U1" in err


def test_a_file_that_is_not_a_workbook_nor_json_exits_2(tmp_path: Path) -> None:
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"PK\x03\x04 this is not really a zip")
    err = broken(junk)
    assert "损坏" in err or "工作簿" in err


def test_template_writes_a_blank_workbook_that_reads_as_an_empty_scenario(tmp_path: Path) -> None:
    out = tmp_path / "blank.xlsx"
    p = run("template", "-o", str(out))
    assert p.returncode == 0, p.stderr
    wb = openpyxl.load_workbook(out)
    for sheet in ("单位", "指标", "数据", "评议组", "评议", "满意度", "加减分", "设置"):
        assert sheet in wb.sheetnames
    assert wb["指标"].data_validations.dataValidation, "the 指标 sheet offers drop-downs"
