"""What `manage.py load_demo` builds: the demo city, its people, a half-year run that equals the engine on the
example, the year so far (reports, problems, rater sheets and register entries in every state), and two years of
final results before it (demo history) on which the consecutive-year rules fire. Loaded once for the module:
these tests only read it (loading, reloading and resetting are tested in test_load_demo.py)."""

from __future__ import annotations

import json
import re
from collections import Counter
from types import SimpleNamespace

import pytest
from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import F, Sum
from django.test import override_settings
from django.utils import timezone

from kaohe.audit.models import AuditEntry
from kaohe.engine import compute
from kaohe.indicators import gates
from kaohe.indicators.models import Cycle, Indicator, Rating
from kaohe.indicators.selectors import scenario_for
from kaohe.organisation.models import Profile, Unit
from kaohe.ratings.models import Rater
from kaohe.register.models import Entry
from kaohe.reporting.models import Evidence, Problem, Report
from kaohe.outcomes import selectors as outcomes
from kaohe.results.models import Run
from kaohe.surveys.models import Answer, Group, ImportedAnswer, Submission
from kaohe.surveys.services import is_open
from kaohe.web.demo_history import YEARS, drifted, history_name
from kaohe.web.management.commands.load_demo import CYCLE_NAME

from .demo_load import EXAMPLE, LOGINS, current, load

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded once, in a transaction rolled back at the end (each test runs in a savepoint inside it);
    its files go to a folder of the module's own."""
    media = tmp_path_factory.mktemp("media")
    with (django_db_blocker.unblock(),
          override_settings(MEDIA_ROOT=media,
                            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])):
        with transaction.atomic():
            yield SimpleNamespace(out=load(), media=media)
            transaction.set_rollback(True)


def test_the_demo_half_year_run_equals_the_engine_on_the_example(demo):
    expected = compute(json.loads(EXAMPLE.read_text(encoding="utf-8"))).to_dict()
    run = Run.objects.get(cycle=current(), number=1)
    assert run.status == Run.Status.OK and run.stage == "half_year"
    got = {r.unit.code: (r.total, r.rank, r.grade or None, r.group) for r in run.unit_results.select_related("unit")}
    want = {u["unit"]: (u["total"], u["rank"], u["grade"], u["group"]) for u in expected["units"]}
    assert got == want
    assert len(got) == 57


def test_every_lead_unit_of_the_example_is_a_real_unit(demo):
    leaves = Indicator.objects.filter(cycle=current()).exclude(method="")
    assert leaves.filter(lead_unit__isnull=True).count() == 0
    assert leaves.exclude(lead_unit_text="").count() == 0
    assert Unit.objects.get(name="市委绩效办").domain.code == "dept"
    assert leaves.filter(lead_unit__code="B06").count() == 8


def test_linking_lead_units_leaves_the_scenario_as_the_example_wrote_it(demo):
    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    scenario = Run.objects.get(cycle=current(), number=1).scenario
    assert {i["id"]: i.get("lead_unit") for i in scenario["indicators"]} == \
        {i["id"]: i.get("lead_unit") for i in example["indicators"]}
    assert compute(scenario).to_dict()["units"] == compute(example).to_dict()["units"]


def test_every_role_has_a_login_with_the_printed_password(demo):
    out = demo.out
    for username, password in LOGINS.items():
        assert f"{username}" in out and password in out
        assert authenticate(username=username, password=password) is not None
    roles = {p.user.username: (p.role, p.unit.code if p.unit else None)
             for p in Profile.objects.filter(user__username__in=LOGINS).select_related("user", "unit")}
    assert roles == {"office": (Profile.Role.OFFICE, "JXB"), "leader": (Profile.Role.LEADER, None),
                     "stat": (Profile.Role.UNIT, "B06"), "county": (Profile.Role.UNIT, "X01")}


def test_the_other_units_clerks_cannot_log_in(demo):
    clerks = Profile.objects.exclude(user__username__in=LOGINS).select_related("user")
    assert clerks.exists()
    assert not any(p.user.has_usable_password() for p in clerks)
    assert all(p.role == Profile.Role.UNIT for p in clerks)


def test_the_demo_cycle_has_a_phase_for_each_part_of_the_year(demo):
    phases = list(current().phases.values_list("kind", flat=True))
    assert phases == ["launch", "half_year", "year_end", "publication"]


def test_the_county_has_reports_in_every_state_and_the_stat_office_has_reports_to_review(demo):
    out = demo.out
    x01 = Report.objects.filter(unit__code="X01")
    states = {s: x01.filter(state=s).count() for s in Report.State.values}
    assert states["accepted"] >= 3 and states["submitted"] >= 2 and states["returned"] == 1 and states["draft"] >= 2
    returned = x01.get(state="returned")
    assert "明细表" in returned.review_comment
    corrected = x01.filter(state="accepted").exclude(assessed=F("actual"))
    assert corrected.count() == 1 and "核减" in corrected.get().review_comment
    waiting_for_stat = Report.objects.filter(state="submitted", indicator__lead_unit__code="B06")
    assert waiting_for_stat.values("unit").distinct().count() >= 5
    assert "待审核" in out and "退回 1" in out


def test_reported_values_are_the_example_values(demo):
    example = {(v["unit"], v["indicator"]): v["actual"] for v in json.loads(EXAMPLE.read_text("utf-8"))["values"]}
    for r in Report.objects.select_related("unit", "indicator"):
        assert r.actual == example[(r.unit.code, r.indicator.code)]
        assert r.account.startswith(r.unit.name)


def test_the_evidence_files_are_real_files_that_say_they_are_demo_attachments(demo, settings):
    settings.MEDIA_ROOT = demo.media
    files = Evidence.objects.all()
    assert files.filter(name__endswith=".pdf").exists() and files.filter(name__endswith=".png").exists()
    for e in files:
        assert "演示佐证材料" in e.name
        head = e.file.open("rb").read()
        e.file.close()
        assert head.startswith(b"%PDF-") or head.startswith(b"\x89PNG")
        if head.startswith(b"%PDF-"):
            assert b"demo attachment" in head and b"not a copy of any real document" in head
    assert Report.objects.filter(evidence__isnull=False).exists()


def test_half_year_problems_are_open_overdue_answered_closed_and_reopened(demo):
    today = gates.today()
    problems = Problem.objects.select_related("indicator", "run")
    assert 10 <= problems.count() <= 20
    assert all(p.run.number == 1 and p.indicator is not None and p.text.startswith(p.indicator.code) for p in problems)
    assert problems.filter(state="sent").count() >= 3
    assert sum(p.overdue_on(today) for p in problems) == 1
    assert problems.filter(state="answered").exclude(measures="").count() >= 2
    closed = problems.filter(state="closed")
    assert closed.count() >= 3 and all(p.verification and p.measures and p.due for p in closed)
    reopened = problems.filter(state="sent").exclude(verification="")
    assert reopened.count() == 1 and reopened.get().measures
    assert problems.filter(unit__code="X01").count() >= 2
    assert not problems.filter(state="recorded").exists()


def test_rating_is_open_with_partly_filled_and_submitted_sheets(demo):
    cycle = current()
    window = cycle.rating_window
    assert window.opens <= gates.today() <= window.closes and window.reason_below == 60
    leader = Rater.objects.get(user__username="leader")
    assert leader.group.code == "leaders" and leader.submitted_at is None
    assert 0 < leader.scores.count() < leader.rates.count()
    county = Rater.objects.get(unit__code="X01")
    assert county.group.code == "grassroots" and county.submitted_at is None and county.scores.exists()
    assert not county.rates.filter(code="X01").exists()
    submitted = Rater.objects.filter(submitted_at__isnull=False)
    assert submitted.count() >= 1
    imported = {r["rater"] for r in json.loads(EXAMPLE.read_text("utf-8"))["ratings"]}
    assert not imported & set(Rater.objects.values_list("code", flat=True))
    assert Rating.objects.filter(rater__in=submitted.values("code")).exists()


def test_the_register_has_applied_approved_and_rejected_entries(demo):
    entries = Entry.objects.all()
    innovation = entries.get(state="applied")
    assert innovation.unit.code == "X01" and innovation.source == "innovation"
    assert innovation.expert_scores.count() == 2 and innovation.evidence.exists()
    assert entries.filter(state="approved", kind="bonus", source="award").get().adjustment is not None
    # the register's own letter entry; supervision letters (demo_supervision) add theirs, tested with supervision
    assert entries.filter(state="approved", kind="deduction", source="letter",
                          supervision_letter__isnull=True).get().adjustment is not None
    assert entries.filter(state="rejected").get().decision


def test_every_change_of_the_year_is_in_the_audit_log(demo):
    cycle = current()
    logged = set(AuditEntry.objects.filter(cycle_id=cycle.pk).values_list("object_type", flat=True))
    assert {"reporting.Report", "reporting.Problem", "ratings.Rater", "register.Entry"} <= logged


def test_the_demo_holds_three_cycles_the_earlier_two_with_final_results(demo):
    out = demo.out
    cycles = list(Cycle.objects.order_by("year").values_list("year", "name"))
    assert cycles == [(2024, history_name(2024)), (2025, history_name(2025)), (2026, CYCLE_NAME)]
    assert "演示历史数据" in history_name(2024) and "Demo history" in out
    for year in YEARS:
        run = Run.objects.get(cycle__year=year)
        assert run.stage == "year_end" and run.status == Run.Status.OK and run.publication == "final"
        assert run.unit_results.count() == 57
        want = drifted(json.loads(EXAMPLE.read_text("utf-8")), year)["values"]
        assert ({(v["unit"], v["indicator"]): v["actual"] for v in run.scenario["values"]}
                == {(v["unit"], v["indicator"]): v["actual"] for v in want})
    # the 2026 cycle is still in its year: only its half-year run, announced as feedback (通报)
    assert list(current().runs.values_list("stage", flat=True)) == ["half_year"]


def test_ranks_and_grades_change_between_the_demo_years(demo):
    by_year = {year: {r.unit.code: (r.rank, r.grade) for r in Run.objects.get(cycle__year=year)
                      .unit_results.select_related("unit")} for year in YEARS}
    changed = [code for code in by_year[2024] if by_year[2024][code] != by_year[2025][code]]
    assert len(changed) >= 10


def test_the_consecutive_year_rules_fire_in_the_demo_for_the_pinned_units(demo):
    cycle = Cycle.objects.get(year=2025)
    found = outcomes.outcomes(cycle, cycle.units.all())
    fired = {(o.rule.name, o.unit.code) for o in found}
    assert ("连续两年一般取消试点资格", "X06") in fired  # 明月县: last county, 一般 in 2024 and 2025
    assert ("连续两年组内前三名优先支持", "X09") in fired  # 灵泉县: first county both years
    assert ("连续两年一般取消试点资格", "X01") not in fired
    x06 = next(o for o in found if o.unit.code == "X06" and o.rule.kind == "consecutive_grade")
    assert [(r.year, r.grade, r.rank) for r in x06.triggers] == [(2024, "一般", 10), (2025, "一般", 10)]
    # three consecutive years are not on record yet: the three-year rule fires for nobody
    assert not any(o.rule.name == "连续三年前五名或优秀优先推荐" for o in found)
    # the 2026 cycle has the same rules, and no published year-end result yet
    assert current().outcome_rules.count() == cycle.outcome_rules.count() == 7
    assert outcomes.outcomes(current(), current().units.all()) == []


def test_the_survey_is_open_with_its_three_groups_and_rates_every_department(demo):
    survey = current().surveys.get()
    assert is_open(survey) and survey.open_link
    assert {(g.code, g.channel) for g in survey.groups.all()} == {
        ("phone", Group.Channel.IMPORT), ("users", Group.Channel.INVITATION), ("public", Group.Channel.OPEN_LINK)}
    question = survey.questions.get()
    assert question.indicator.code == "S1" and question.units.count() == 41
    assert "满意度测评 Survey" in demo.out and "电话调查导入 3070 条" in demo.out


def test_the_telephone_survey_is_the_examples_answers_and_the_web_adds_to_them(demo):
    survey = current().surveys.get()
    phone = {(c.unit.code, c.choice): c.n for c in survey.counts.filter(group__code="phone").select_related("unit")}
    example = {(r["unit"], r["choice"]): r["count"] for r in json.loads(EXAMPLE.read_text("utf-8"))["responses"]
               if r["indicator"] == "S1"}
    assert phone == example
    web = survey.counts.exclude(group__code="phone").aggregate(n=Sum("n"))["n"]
    counted = Answer.objects.filter(submission__survey=survey, submission__status=Submission.Status.COUNTED).count()
    assert web == counted > 0
    # what the next computation reads for S1: every counted answer, per unit and choice
    s1 = Counter()
    for r in scenario_for(current())["responses"]:
        if r["indicator"] == "S1":
            s1[(r["unit"], r["choice"])] += r["count"]
    assert sum(s1.values()) == 3070 + counted


def test_a_run_of_sheets_from_one_address_waits_for_review_and_the_monitor_has_days_to_show(demo):
    survey = current().surveys.get()
    flagged = survey.submissions.filter(status=Submission.Status.FLAGGED)
    assert flagged.count() >= 3 and set(flagged.values_list("ip", flat=True)) == {"10.66.8.8"}
    assert flagged.filter(flag_reason__contains="分钟内提交超过 10 份").exists()  # a burst, not only duplicates
    calls = survey.imports.get()  # the telephone survey's calls were made in the daytime
    hours = {timezone.localtime(t).hour for t in ImportedAnswer.objects.filter(batch=calls).exclude(
        answered_at=None).values_list("answered_at", flat=True)}
    assert hours and min(hours) >= 9 and max(hours) < 20
    days = {timezone.localtime(t).date() for t in survey.submissions.values_list("submitted_at", flat=True)}
    assert len(days) >= 5 and max(days) <= gates.today()
    assert survey.tokens.filter(used_at__isnull=True).exists() and survey.tokens.filter(used_at__isnull=False).exists()


def test_comments_reach_their_units_masked_and_the_stat_login_has_one_answered_and_one_waiting(demo):
    survey = current().surveys.get()
    comments = survey.comments.select_related("unit")
    assert comments.filter(submission__isnull=True).count() == 4  # from the telephone survey's file
    for c in comments:
        assert not re.search(r"\d{11}", c.masked) and "51090219800101123X" not in c.masked
    assert any(re.search(r"1\d{10}", c.text) for c in comments)  # the office still reads the original
    stat = comments.filter(unit__code="B06")
    assert stat.exclude(reply="").count() == 1 and stat.filter(reply="").count() == 1
    assert stat.exclude(reply="").get().replied_by.username == "stat"
