"""Importing answers collected elsewhere: CSV (UTF-8, GB18030) and .xlsx, every row checked, all or nothing.

Runs on SQLite (batched inserts) and on PostgreSQL (COPY) alike: DATABASE_URL decides.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import time
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from kaohe.audit.models import AuditEntry
from kaohe.surveys import imports, selectors
from kaohe.surveys import services as svc
from kaohe.surveys.models import Comment, Count, ImportBatch, ImportedAnswer

HEADER = "受访者编号,群体,单位,指标,选项,意见建议,时间"
GOOD = [  # rows 2–11 of the file
    "T001,public,U1,S1,满意,,2026-05-01 10:30:00",
    "T001,public,U2,S1,比较满意,,2026-05-01 10:30:00",
    "T002,群众,东城县,S1,基本满意,,2026/5/2 9:05",
    "T002,public,U3,S1,不满意,\"路灯坏了很久，电话13812345678\",2026-05-02",
    "T003,web,U1,S1,satisfied,,",
    "T003,web,U2,S1,满意,,",
    "T004,public,U3,S1,比较满意,,",
    "T004,public,U1,S1,满意,,",
    ",public,U2,S1,满意,,",
    "T005,网络公开,U3,S1,满意,,",
]


def _file(tmp_path: Path, lines: list[str], name: str = "answers.csv", encoding: str = "utf-8",
          bom: bool = False) -> Path:
    path = tmp_path / name
    text = "\r\n".join([HEADER, *lines]) + "\r\n"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding))
    return path


def _import(sw, path: Path) -> ImportBatch:
    batch = imports.create_batch(by=sw.office, survey=sw.survey, filename=path.name)
    return imports.run_import(batch_pk=batch.pk, path=path)


def _choices(lines: list[str]) -> Counter:
    keys = {"满意": "satisfied", "比较满意": "fairly_satisfied", "基本满意": "basically_satisfied",
            "不满意": "unsatisfied"}
    return Counter(keys.get(line.split(",")[4], line.split(",")[4]) for line in lines)


def _assert_nothing_written(sw) -> None:
    assert not ImportedAnswer.objects.exists()
    assert not Count.objects.exists()
    assert not Comment.objects.exists()


def test_a_good_csv_is_imported_with_its_counts_and_feeds_the_engine(sw, tmp_path) -> None:
    batch = _import(sw, _file(tmp_path, GOOD, bom=True))
    assert batch.state == ImportBatch.State.DONE, batch.problems
    assert batch.rows_total == batch.rows_done == len(GOOD)
    assert ImportedAnswer.objects.filter(batch_id=batch.pk).count() == len(GOOD)
    counts = selectors.counts(sw.survey)
    assert sum(n for by_choice in counts.values() for n in by_choice.values()) == len(GOOD)
    u1 = counts[(sw.question.pk, sw.units["U1"].pk, sw.public.pk)]
    assert u1 == {"satisfied": 2, "basically_satisfied": 1}  # 东城县 is U1's name, 群众 the public group's
    assert counts[(sw.question.pk, sw.units["U3"].pk, sw.web.pk)] == {"satisfied": 1}
    covered, rows = selectors.responses_for_cycle(sw.scycle)
    assert covered == {sw.s1.pk}
    engine = Counter()
    for r in rows:
        engine[r["choice"]] += r["count"]
    assert engine == _choices(GOOD)
    stored = ImportedAnswer.objects.filter(respondent="T001").order_by("unit__code").first()
    assert stored.answered_at.isoformat() == "2026-05-01T02:30:00+00:00"  # 10:30 Beijing time
    entry = AuditEntry.objects.filter(action="import_answers").get()
    assert entry.changes["rows"] == [None, len(GOOD)] and entry.changes["file"] == [None, "answers.csv"]
    assert entry.changes["counts_added"][1]["satisfied"] == 6


def test_postgresql_loads_with_copy_and_sqlite_with_batched_inserts(sw, tmp_path, monkeypatch) -> None:
    used = []
    copy, insert = imports._copy, imports._insert
    monkeypatch.setattr(imports, "_copy", lambda data: used.append("copy") or copy(data))
    monkeypatch.setattr(imports, "_insert", lambda rows: used.append("insert") or insert(rows))
    assert _import(sw, _file(tmp_path, GOOD)).state == ImportBatch.State.DONE
    assert used == ["copy" if connection.vendor == "postgresql" else "insert"]
    assert ImportedAnswer.objects.count() == len(GOOD)


def test_counts_add_up_over_two_imports(sw, tmp_path) -> None:
    _import(sw, _file(tmp_path, GOOD))
    _import(sw, _file(tmp_path, GOOD[:3], name="more.csv"))
    assert sum(Count.objects.values_list("n", flat=True)) == len(GOOD) + 3
    assert ImportedAnswer.objects.count() == len(GOOD) + 3


def test_a_good_xlsx_is_imported(sw, tmp_path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    for line in GOOD:
        sheet.append([c.strip('"') or None for c in next(iter(__import__("csv").reader([line])))])
    sheet.append(["T009", "public", "U1", "S1", "满意", None, None])
    path = tmp_path / "answers.xlsx"
    book.save(path)
    batch = _import(sw, path)
    assert batch.state == ImportBatch.State.DONE, batch.problems
    assert batch.rows_done == len(GOOD) + 1
    assert sum(Count.objects.values_list("n", flat=True)) == len(GOOD) + 1


def test_a_bad_xlsx_row_is_named_by_its_sheet_row(sw, tmp_path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(["T1", "public", "U1", "S1", "满意"])
    sheet.append([])  # a blank row: skipped, still counted in the numbering
    sheet.append(["T2", "public", "U1", "S1", "很满意"])
    path = tmp_path / "answers.xlsx"
    book.save(path)
    batch = _import(sw, path)
    assert batch.state == ImportBatch.State.FAILED
    assert [(p["row"], p["column"]) for p in batch.problems] == [(4, "选项")]
    _assert_nothing_written(sw)


def test_a_file_with_bad_rows_names_row_and_column_and_writes_nothing(sw, tmp_path) -> None:
    lines = list(GOOD)
    lines[5] = "T003,web,U9,S1,满意,,"  # row 7: no such unit
    lines[7] = "T004,public,U1,S1,非常满意,很好,"  # row 9: no such choice (its comment must not be stored)
    batch = _import(sw, _file(tmp_path, lines))
    assert batch.state == ImportBatch.State.FAILED
    assert batch.finished_at is not None
    assert [(p["row"], p["column"]) for p in batch.problems] == [(7, "单位"), (9, "选项")]
    assert "U9" in batch.problems[0]["message"] and "非常满意" in batch.problems[1]["message"]
    _assert_nothing_written(sw)
    assert AuditEntry.objects.filter(action="import_answers_failed").count() == 1
    assert not AuditEntry.objects.filter(action="import_answers").exists()


def test_each_rule_of_the_design_is_checked(sw, tmp_path, world) -> None:
    from kaohe.surveys.models import Group

    svc.add_group(by=sw.office, survey=sw.survey, code="leaders", name="领导", kind=Group.Kind.LEADERS,
                  channel=Group.Channel.IMPORT)
    lines = [
        "T1,nobody,U1,S1,满意,,",  # 2: unknown group
        "T1,public,STAT,S1,满意,,",  # 3: a unit, but not in the cycle
        "T1,public,U1,S9,满意,,",  # 4: no question on that indicator
        "T1,leaders,U1,S1,满意,,",  # 5: the group does not answer the question
        "T1,public,U1,S1,,,",  # 6: choice missing
        "T1,public,U1,S1,满意,,昨天",  # 7: time not readable
        f"{'X' * 41},public,U1,S1,满意,,",  # 8: respondent number too long
        ",,,,,,",  # 9: blank, skipped
        "T1,,U1,S1,满意,,",  # 10: group missing
    ]
    batch = _import(sw, _file(tmp_path, lines))
    assert [(p["row"], p["column"]) for p in batch.problems] == [
        (2, "群体"), (3, "单位"), (4, "指标"), (5, "指标"), (6, "选项"), (7, "时间"), (8, "受访者编号"), (10, "群体")]
    _assert_nothing_written(sw)


def test_a_unit_the_question_does_not_rate_is_refused(sw, tmp_path) -> None:
    sw.question.units.remove(sw.units["U3"])
    batch = _import(sw, _file(tmp_path, ["T1,public,U3,S1,满意,,"]))
    assert [(p["row"], p["column"]) for p in batch.problems] == [(2, "单位")]
    assert "不测评" in batch.problems[0]["message"]


def test_a_missing_column_is_reported_on_the_header_row(sw, tmp_path) -> None:
    path = tmp_path / "answers.csv"
    path.write_text("群体,单位,选项\npublic,U1,满意\n")
    batch = _import(sw, path)
    assert batch.problems == [{"row": 1, "column": "指标", "message": "缺少“指标”列"}]


def test_only_the_first_200_problems_are_kept_with_the_total(sw, tmp_path) -> None:
    batch = _import(sw, _file(tmp_path, ["T1,public,U1,S1,好,,"] * 250))
    assert batch.state == ImportBatch.State.FAILED
    assert len(batch.problems) == 201
    assert batch.problems[199]["row"] == 201
    assert "250" in batch.problems[200]["message"]


def test_a_gb18030_csv_from_excel_is_read(sw, tmp_path) -> None:
    batch = _import(sw, _file(tmp_path, GOOD, encoding="gb18030"))
    assert batch.state == ImportBatch.State.DONE, batch.problems
    assert sum(Count.objects.values_list("n", flat=True)) == len(GOOD)
    assert Comment.objects.get().text.startswith("路灯坏了很久")


def test_comments_reach_the_unit_masked(sw, tmp_path) -> None:
    _import(sw, _file(tmp_path, GOOD))
    comment = Comment.objects.get()
    assert comment.unit == sw.units["U3"] and comment.group == sw.public and comment.question == sw.question
    assert "13812345678" in comment.text
    assert "13812345678" not in comment.masked and "138****5678" in comment.masked


def test_blocks_are_cut_between_records_and_rows_keep_their_numbers(sw, tmp_path, monkeypatch) -> None:
    # a tiny block size: records and a quoted comment spanning lines fall across block boundaries
    monkeypatch.setattr(imports, "BLOCK_BYTES", 64)
    lines = [*GOOD, "T6,public,U1,S1,满意,\"第一行\n第二行, 还有逗号\",", "T7,public,U2,S1,满意,,", "T8,public,U2,S1,差,,"]
    batch = _import(sw, _file(tmp_path, lines))
    assert [(p["row"], p["column"]) for p in batch.problems] == [(14, "选项")]
    batch = _import(sw, _file(tmp_path, lines[:-1], name="ok.csv"))
    assert batch.state == ImportBatch.State.DONE, batch.problems
    assert ImportedAnswer.objects.count() == len(GOOD) + 2
    assert Comment.objects.filter(text__contains="第二行").exists()


def test_a_draft_survey_takes_no_import(sw, tmp_path) -> None:
    draft = svc.create_survey(by=sw.office, cycle=sw.scycle, title="草稿")
    with pytest.raises(svc.SurveyRefused):
        imports.create_batch(by=sw.office, survey=draft, filename="a.csv")
    with pytest.raises(svc.SurveyRefused):
        imports.create_batch(by=sw.u1, survey=sw.survey, filename="a.csv")


def test_the_command_imports_a_large_file_with_a_progress_bar(sw, tmp_path, capsys) -> None:
    call_command("import_answers", str(sw.survey.pk), str(_file(tmp_path, GOOD)), "--by", "office")
    out = capsys.readouterr()
    assert "已导入 10 行" in out.out and "100.0%" in out.err
    assert sum(Count.objects.values_list("n", flat=True)) == len(GOOD)
    with pytest.raises(CommandError, match="一行也没有写入"):
        call_command("import_answers", str(sw.survey.pk), str(_file(tmp_path, ["x,public,U1,S1,?,,"])), "--by",
                     "office")
    assert "第 2 行，选项" in capsys.readouterr().err


# ---- the pages --------------------------------------------------------------------------------------------------


def _url(sw, name: str, **kw) -> str:
    return reverse(name, kwargs={"cycle": sw.scycle.pk, "pk": sw.survey.pk, **kw})


def test_the_office_uploads_and_follows_the_import(sw, client, settings, tmp_path,
                                                   django_capture_on_commit_callbacks) -> None:
    settings.KAOHE_SURVEY_IMPORT_SYNC = True
    client.force_login(sw.office)
    upload = io.BytesIO(("\r\n".join([HEADER, *GOOD]) + "\r\n").encode("gb18030"))
    upload.name = "电话调查.csv"
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(_url(sw, "survey_import"), {"file": upload})
    batch = ImportBatch.objects.get()
    assert resp.status_code == 302 and resp.url == _url(sw, "survey_import_status", batch=batch.pk)
    assert batch.state == ImportBatch.State.DONE and batch.filename == "电话调查.csv"
    partial = client.get(resp.url, headers={"HX-Request": "true"})
    text = partial.content.decode()
    assert 'aria-valuenow="100"' in text and "已导入 10 行答卷" in text and "hx-trigger" not in text
    page = client.get(_url(sw, "survey_import")).content.decode()
    assert "电话调查.csv" in page and "已导入" in page
    assert [p.name for p in imports.import_dir().iterdir()] == [f"batch-{batch.pk}.csv"]  # the raw record stays


def test_a_failed_upload_lists_its_problems_by_row(sw, client, settings, django_capture_on_commit_callbacks) -> None:
    settings.KAOHE_SURVEY_IMPORT_SYNC = True
    client.force_login(sw.office)
    lines = list(GOOD)
    lines[5] = "T003,web,U9,S1,满意,,"
    upload = io.BytesIO(("\n".join([HEADER, *lines]) + "\n").encode())
    upload.name = "answers.csv"
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(_url(sw, "survey_import"), {"file": upload})
    page = client.get(resp.url).content.decode()
    assert "一行也没有写入" in page and "<td>7</td><td>单位</td>" in page
    _assert_nothing_written(sw)
    assert list(imports.import_dir().iterdir()) == []  # a refused upload is not kept


def test_a_running_import_is_polled_with_its_progress(sw, client, settings) -> None:
    client.force_login(sw.office)
    batch = imports.create_batch(by=sw.office, survey=sw.survey, filename="big.csv")
    imports.write_progress(batch.pk, 250_000, 1_000_000)
    text = client.get(_url(sw, "survey_import_status", batch=batch.pk), headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in text and 'aria-valuenow="25"' in text and "250000" in text


def _cut_off(sw) -> ImportBatch:
    """A batch as a restart leaves it: 导入中, its upload saved, its heartbeat last seen now."""
    batch = imports.create_batch(by=sw.office, survey=sw.survey, filename="电话调查.csv")
    imports.write_progress(batch.pk, 4, 10)
    imports.upload_path(batch, "csv").write_text("\r\n".join([HEADER, *GOOD]), encoding="utf-8")
    return batch


def test_an_import_cut_off_by_a_restart_is_shown_interrupted_once_its_heartbeat_is_gone(sw, client,
                                                                                      time_machine) -> None:
    batch = _cut_off(sw)
    client.force_login(sw.office)
    time_machine.move_to(timezone.now() + dt.timedelta(seconds=90), tick=False)
    client.get(_url(sw, "survey_import"))
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.RUNNING  # quiet for 90 s: a slow step, not yet a stopped import
    time_machine.move_to(timezone.now() + dt.timedelta(minutes=2), tick=False)
    page = client.get(_url(sw, "survey_import")).content.decode()
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.INTERRUPTED and "已中断（未导入）" in page
    status = client.get(_url(sw, "survey_import_status", batch=batch.pk)).content.decode()
    assert "导入中断，一行也没有写入。请重新上传该文件。" in status and "服务器在导入过程中停止" in status
    assert "hx-trigger" not in status
    assert list(imports.import_dir().iterdir()) == []  # its upload and progress file are gone
    entry = AuditEntry.objects.get(action="import_answers_interrupted")
    assert entry.changes["batch"] == [None, batch.pk]
    client.get(_url(sw, "survey_import"))
    assert AuditEntry.objects.filter(action="import_answers_interrupted").count() == 1  # settled once


def test_an_import_settled_as_interrupted_writes_nothing_if_its_thread_comes_back(sw, tmp_path,
                                                                                 monkeypatch) -> None:
    batch = imports.create_batch(by=sw.office, survey=sw.survey, filename="answers.csv")
    prepare = imports.prepare

    def paused_too_long(path):
        # another process settles the batch while this one is still reading the file
        ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.INTERRUPTED)
        return prepare(path)

    monkeypatch.setattr(imports, "prepare", paused_too_long)
    batch = imports.run_import(batch_pk=batch.pk, path=_file(tmp_path, GOOD))
    assert batch.state == ImportBatch.State.INTERRUPTED
    _assert_nothing_written(sw)
    assert not AuditEntry.objects.filter(action__in=["import_answers", "import_answers_failed"]).exists()


def test_a_running_import_keeps_its_heartbeat_while_it_converts_the_file(sw, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(imports, "HEARTBEAT_SECONDS", 0.05)
    batch = imports.create_batch(by=sw.office, survey=sw.survey, filename="answers.csv")
    beats = []
    prepare = imports.prepare

    def slow_prepare(path):
        progress = imports._progress_path(batch.pk)
        for _ in range(3):
            os.utime(progress, (0, 0))  # as if last touched long ago
            time.sleep(0.2)
            beats.append(progress.stat().st_mtime)
        return prepare(path)

    monkeypatch.setattr(imports, "prepare", slow_prepare)
    assert imports.run_import(batch_pk=batch.pk, path=_file(tmp_path, GOOD)).state == ImportBatch.State.DONE
    assert len(beats) == 3 and all(b > time.time() - 60 for b in beats)


def test_an_upload_that_is_not_a_csv_or_workbook_is_refused(sw, client) -> None:
    client.force_login(sw.office)
    for content, name, said in ((b"\x00\x01\x02binary", "a.csv", "文件不是 CSV 文本"),
                                (b"PK\x03\x04not really a zip", "a.xlsx", "文件不是可读取的 Excel 工作簿"),
                                (b"\xff\xfe\xfa\xfb" * 10, "a.csv", "文件不是 CSV 文本")):
        upload = io.BytesIO(content)
        upload.name = name
        resp = client.post(_url(sw, "survey_import"), {"file": upload})
        assert resp.status_code == 200 and said in resp.content.decode(), name
    assert not ImportBatch.objects.exists()


def test_the_template_is_the_header_and_an_example_row(sw, client) -> None:
    client.force_login(sw.office)
    resp = client.get(_url(sw, "survey_import_template"))
    lines = resp.content.decode("utf-8-sig").splitlines()
    assert lines[0] == HEADER
    assert lines[1].split(",")[1:5] == ["public", "U1", "S1", "满意"]


def test_the_leader_reads_the_imports_and_units_see_nothing(sw, client, tmp_path) -> None:
    _import(sw, _file(tmp_path, GOOD))
    client.force_login(sw.leader)
    assert client.get(_url(sw, "survey_import")).status_code == 200
    assert client.post(_url(sw, "survey_import")).status_code == 403
    client.force_login(sw.u1)
    assert client.get(_url(sw, "survey_import")).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_an_import_holding_its_batch_is_never_settled_whatever_its_progress_file(sw,
                                                                                          time_machine) -> None:
    """Several servers without a shared media folder: the page cannot see the progress file, but the live import
    holds its batch row (FOR UPDATE) and the page skips it without waiting."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite has one writer and one machine, where the file is seen")
    import psycopg

    batch = imports.create_batch(by=sw.office, survey=sw.survey, filename="answers.csv")
    db = connection.settings_dict
    with psycopg.connect(dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"]) as other:
        other.execute("SELECT id FROM surveys_importbatch WHERE id = %s FOR UPDATE", [batch.pk])  # the live import
        time_machine.move_to(timezone.now() + dt.timedelta(minutes=5), tick=False)
        assert imports.settle_interrupted(sw.survey) == []
        batch.refresh_from_db()
        assert batch.state == ImportBatch.State.RUNNING
        other.rollback()  # the import's process is gone: its lock with it
    assert [b.pk for b in imports.settle_interrupted(sw.survey)] == [batch.pk]
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.INTERRUPTED
