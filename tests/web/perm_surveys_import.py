"""Permission rows for the survey import pages (see test_permissions.py for how they are read).

The office imports; leaders read the imports and their problems; units (统计局 and the counties alike) never see a
survey's design or imports, so the pages look missing to them (404).
"""

from __future__ import annotations

from types import SimpleNamespace

from .permtable import FORBIDDEN, MISSING, NOT_ALLOWED, OK, Row, everyone, roles, row

READERS = roles(OK, OK, MISSING, MISSING, MISSING)


def _survey(w: SimpleNamespace) -> dict:
    return {"cycle": w.import_survey.cycle_id, "pk": w.import_survey.pk}


TABLE: list[Row] = [
    row("survey_import", READERS, _survey),
    row("survey_import_status", READERS, lambda w: _survey(w) | {"batch": w.import_batch.pk}),
    row("survey_import_template", READERS, _survey),
]

# An empty POST is a form error (the page again, 200) and writes nothing; the other two are only read.
POSTS: list[Row] = [
    row("survey_import", roles(OK, FORBIDDEN, MISSING, MISSING, MISSING), _survey),
    row("survey_import_status", everyone(NOT_ALLOWED), lambda w: _survey(w) | {"batch": w.import_batch.pk}),
    row("survey_import_template", everyone(NOT_ALLOWED), _survey),
]


def setup(w: SimpleNamespace) -> None:
    """A survey of the cycle with a group and one failed import (made as the importer leaves one: the shared cycle
    has no satisfaction leaf, so no question and no real import)."""
    from kaohe.surveys import services as svc
    from kaohe.surveys.models import Group, ImportBatch

    w.import_survey = svc.create_survey(by=w.office, cycle=w.cycle, title="2026年度群众满意度测评（导入）")
    svc.add_group(by=w.office, survey=w.import_survey, code="phone", name="电话调查", kind=Group.Kind.PUBLIC,
                  channel=Group.Channel.IMPORT)
    w.import_batch = ImportBatch.objects.create(
        survey=w.import_survey, filename="电话调查.csv", created_by=w.office, state=ImportBatch.State.FAILED,
        problems=[{"row": 7, "column": "单位", "message": "本考核周期没有单位“U9”（填单位编号或名称）"}])
