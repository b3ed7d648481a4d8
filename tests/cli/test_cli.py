"""The `kaohe` command line as a clerk uses it: results out, or exit status 2 with readable messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from kaohe.engine import compute

VECTORS = Path(__file__).parent.parent / "engine" / "vectors"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kaohe.cli", *args], capture_output=True, text=True, timeout=120)


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    scenario = json.loads((VECTORS / "18_grades_quota_ties_advanced.json").read_text(encoding="utf-8"))["scenario"]
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(scenario, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def broken_file(tmp_path: Path) -> Path:
    scenario = json.loads((VECTORS / "20_errors_collected.json").read_text(encoding="utf-8"))["scenario"]
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(scenario), encoding="utf-8")
    return path


def test_compute_prints_the_results_json_of_the_spec(scenario_file: Path) -> None:
    p = run("compute", str(scenario_file))
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    expected = compute(json.loads(scenario_file.read_text(encoding="utf-8"))).to_dict()
    assert out == expected
    first = out["units"][0]
    assert (first["unit"], first["rank"], first["grade"], first["advanced"]) == ("C01", 1, "一等次", True)


def test_compute_writes_csv_with_a_bom_for_excel(scenario_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    p = run("compute", str(scenario_file), "--format", "csv", "-o", str(out))
    assert p.returncode == 0, p.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("单位编号 unit,")
    assert lines[1].split(",")[:6] == ["C01", "C01", "county", "1", "10", "97.00"]


def test_compute_writes_a_report_workbook_with_ranking_and_score_sheets(scenario_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    p = run("compute", str(scenario_file), "--format", "xlsx", "-o", str(out))
    assert p.returncode == 0, p.stderr
    wb = openpyxl.load_workbook(out)
    names = wb.sheetnames
    assert any(n.startswith("排名") for n in names)
    assert "得分明细" in names
    ranking = wb[next(n for n in names if n.startswith("排名"))]
    values = [[c.value for c in row] for row in ranking.iter_rows()]
    assert any("C01" in row for row in values)


def test_xlsx_output_needs_a_file_name(scenario_file: Path) -> None:
    p = run("compute", str(scenario_file), "--format", "xlsx")
    assert p.returncode == 2
    assert "-o" in p.stderr


def test_an_invalid_scenario_exits_2_and_lists_every_error(broken_file: Path) -> None:
    p = run("compute", str(broken_file))
    assert p.returncode == 2
    assert p.stdout == ""
    for code in ("missing_value", "bad_target", "zero_baseline", "rating_out_of_range", "no_ratings"):
        assert code in p.stderr
    assert "Traceback" not in p.stderr


def test_errors_come_as_json_on_stdout_with_format_json(broken_file: Path) -> None:
    p = run("compute", str(broken_file), "--format", "json")
    assert p.returncode == 2
    errors = json.loads(p.stdout)["errors"]
    assert any(
        (e["code"], e["unit"], e["indicator"]) == ("zero_baseline", "U1", "A2") for e in errors)
    assert all(set(e) >= {"code", "unit", "indicator", "message"} for e in errors)


def test_validate_lists_errors_or_says_valid(scenario_file: Path, broken_file: Path) -> None:
    ok = run("validate", str(scenario_file))
    assert ok.returncode == 0
    assert "有效" in ok.stdout and "10 个单位" in ok.stdout
    bad = run("validate", str(broken_file))
    assert bad.returncode == 2
    assert bad.stderr.count("错误 [") == 5


def test_malformed_json_and_a_missing_file_exit_2_without_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"units": [', encoding="utf-8")
    for args in (("compute", str(bad)), ("validate", str(tmp_path / "nope.json")), ("explain", str(bad), "--unit", "x")):
        p = run(*args)
        assert p.returncode == 2
        assert "Traceback" not in p.stderr
        assert p.stderr.strip()


def test_explain_prints_the_report_card_of_one_unit(scenario_file: Path) -> None:
    p = run("explain", str(scenario_file), "--unit", "C03")
    assert p.returncode == 0, p.stderr
    assert "总分 93.00" in p.stdout
    assert "第 3/10 名" in p.stdout and "一等次" in p.stdout and "先进单位" in p.stdout
    assert "牵头单位直接评分 93.00" in p.stdout


def test_explain_for_an_unknown_unit_exits_2(scenario_file: Path) -> None:
    p = run("explain", str(scenario_file), "--unit", "C99")
    assert p.returncode == 2
    assert "C99" in p.stderr
