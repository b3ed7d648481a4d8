"""Key projects, livelihood funds and the inspection plan: the services and the pure figures behind the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kaohe.audit.models import AuditEntry
from kaohe.supervision import figures
from kaohe.supervision import projects as pj
from kaohe.supervision.models import Inspection, Item, ProjectQuarter
from kaohe.supervision.services import SupervisionRefused, create_item

D = Decimal


# ---- figures (pure) -----------------------------------------------------------------------------------------


def test_rates_are_percentages_rounded_half_up_to_two_decimals() -> None:
    # Suining: budget 32.14, issued 34.17, paid 32.4 (亿元)
    assert figures.rate(D("34.17"), D("32.14")) == D("106.32")
    assert figures.rate(D("32.4"), D("32.14")) == D("100.81")
    assert figures.rate(D("1"), D("8")) == D("12.50")
    assert figures.rate(D("0.00125"), D("1")) == D("0.13")  # 0.125 % → 0.13, not banker's 0.12
    assert figures.rate(D("2.5"), D("1000")) == D("0.25")
    assert figures.rate(1, 0) is None and figures.rate(None, 5) is None


def test_wan_converts_to_yi_with_two_decimals() -> None:
    assert figures.wan_to_yi(D("321400")) == D("32.14")
    assert figures.wan_to_yi(D("324000")) == D("32.40")
    assert figures.wan_to_yi(D("5")) == D("0.00") and figures.wan_to_yi(D("50")) == D("0.01")


def test_quarter_figures_add_up_to_date_and_take_the_quarters_own_score() -> None:
    rows = [(1, D("100"), D("90"), 95.0), (2, D("200"), None, 80.0), (3, D("300"), D("310"), 60.0),
            (4, D("400"), None, None)]
    q1 = figures.quarter_figures(rows, 1)
    assert (q1.planned_to_date, q1.completed_to_date, q1.completion_rate, q1.score) == (D(100), D(90), D("90.00"), 95.0)
    q2 = figures.quarter_figures(rows, 2)  # quarter 2 not reported yet: counted as 0 completed
    assert (q2.planned_to_date, q2.completed_to_date, q2.completion_rate, q2.score) == (D(300), D(90), D("30.00"), 80.0)
    q3 = figures.quarter_figures(rows, 3)
    assert (q3.planned_to_date, q3.completed_to_date, q3.completion_rate, q3.score) == (
        D(600), D(400), D("66.67"), 60.0)
    assert figures.quarter_figures(rows, 4).score is None
    assert figures.quarter_figures([], 2).completion_rate is None


def _f(rate: str | None, score: float | None) -> figures.QuarterFigures:
    return figures.QuarterFigures(D(0), D(0), None if rate is None else D(rate), score)


def test_red_list_needs_a_score_of_90_and_the_plan_to_date_met() -> None:
    assert figures.on_red_list(_f("100.00", 90.0))
    assert figures.on_red_list(_f("130.00", 99.5))
    assert not figures.on_red_list(_f("99.99", 98.0))  # plan not met
    assert not figures.on_red_list(_f("120.00", 89.9))  # score short
    assert not figures.on_red_list(_f(None, 95.0))  # nothing planned to date
    assert not figures.on_red_list(_f("110.00", None))  # not inspected


def test_laggards_are_below_80_percent_of_plan_or_scored_below_70() -> None:
    assert figures.lagging(_f("79.99", 95.0))
    assert figures.lagging(_f("100.00", 69.9))
    assert not figures.lagging(_f("80.00", 70.0))
    assert not figures.lagging(_f(None, None))


def test_ranks_share_places_on_equal_scores_and_leave_unscored_out() -> None:
    assert figures.ranks([95.0, 90.0, 90.0, 80.0, None]) == [1, 2, 2, 4, None]


def test_the_bulletin_number_runs_one_issue_a_quarter() -> None:
    assert figures.bulletin_number(2026, 3) == "督查通报〔2026〕第3期"


def test_to_date_runs_to_the_quarter_of_the_day_in_the_current_year() -> None:
    day = dt.date(2026, 8, 15)
    assert figures.quarter_to_date(2026, day) == 3
    assert figures.quarter_to_date(2025, day) == 4
    assert figures.quarter_to_date(2027, day) == 1


# ---- key projects -------------------------------------------------------------------------------------------


def _project(world, code="ZD-01", unit=None, plan=("100", "200", "300", "400"), **kw):
    return pj.create_key_project(by=world.office, year=2026, code=code, name=f"项目{code}", lead_unit=unit or world.unit1,
                                 total_investment=D("5000"), quarterly_plan=[D(p) for p in plan], **kw)


def test_a_key_project_gets_its_quarterly_plan_and_an_audit_entry(world) -> None:
    project = _project(world)
    assert [(q.quarter, q.planned) for q in project.quarters.all()] == [(1, D(100)), (2, D(200)), (3, D(300)),
                                                                          (4, D(400))]
    entry = AuditEntry.objects.get(object_type="supervision.KeyProject", object_id=str(project.pk), action="create")
    assert entry.actor == world.office and entry.changes["plan"][1] == ["100.00", "200.00", "300.00", "400.00"]


def test_key_project_codes_are_unique_in_a_year_and_only_the_office_creates(world) -> None:
    _project(world)
    with pytest.raises(SupervisionRefused, match="已有编号"):
        _project(world)
    with pytest.raises(SupervisionRefused):
        pj.create_key_project(by=world.leader, year=2026, code="ZD-02", name="x", lead_unit=world.unit1,
                              total_investment=D(1))


def test_a_linked_item_must_be_a_key_project_item_of_the_same_year(world) -> None:
    item = create_item(by=world.office, year=2026, code="DB-9", title="推进老旧小区改造", source=Item.Source.INSTRUCTION,
                       lead_unit=world.unit1, deadline=dt.date(2026, 12, 31))
    with pytest.raises(SupervisionRefused, match="重点项目"):
        _project(world, item=item)


def test_recording_a_quarter_is_audited_and_an_unchanged_one_writes_nothing(world) -> None:
    project = _project(world)
    pj.record_quarter(by=world.office, project=project, quarter=2, planned=D("250"), completed=D("240.5"), score=92.5,
                      note="进度正常")
    row = ProjectQuarter.objects.get(project=project, quarter=2)
    assert (row.planned, row.completed, row.score, row.note) == (D("250"), D("240.50"), 92.5, "进度正常")
    entries = AuditEntry.objects.filter(object_type="supervision.KeyProject", object_id=str(project.pk),
                                        action="quarter")
    assert entries.count() == 1 and entries.get().changes["score"] == [None, 92.5]
    pj.record_quarter(by=world.office, project=project, quarter=2, planned=D("250"), completed=D("240.5"), score=92.5,
                      note="进度正常")
    assert entries.count() == 1


def test_quarter_input_is_checked(world) -> None:
    project = _project(world)
    with pytest.raises(SupervisionRefused, match="1 到 4"):
        pj.record_quarter(by=world.office, project=project, quarter=5, completed=D(1))
    with pytest.raises(SupervisionRefused, match="0 到 100"):
        pj.record_quarter(by=world.office, project=project, quarter=1, completed=D(1), score=101)
    with pytest.raises(SupervisionRefused, match="负数"):
        pj.record_quarter(by=world.office, project=project, quarter=1, completed=D(-1))
    with pytest.raises(SupervisionRefused, match="数字"):
        pj.record_quarter(by=world.office, project=project, quarter=1, completed="一百")
    with pytest.raises(SupervisionRefused, match="范围"):
        pj.record_quarter(by=world.office, project=project, quarter=1, completed=D("1e13"))
    with pytest.raises(SupervisionRefused):
        pj.record_quarter(by=world.u1, project=project, quarter=1, completed=D(1))


def test_the_bulletin_ranks_by_the_quarters_score_with_red_list_and_laggards(world) -> None:
    star = _project(world, "ZD-01")
    slow = _project(world, "ZD-02", unit=world.unit2)
    fair = _project(world, "ZD-03")
    quiet = _project(world, "ZD-04")
    # Q1 planned 100, Q2 200: to date at Q2 the plan is 300
    pj.record_quarter(by=world.office, project=star, quarter=1, completed=D(100), score=88)
    pj.record_quarter(by=world.office, project=star, quarter=2, completed=D(210), score=95)  # 310/300 and 95: red
    pj.record_quarter(by=world.office, project=slow, quarter=1, completed=D(50))
    pj.record_quarter(by=world.office, project=slow, quarter=2, completed=D(150), score=95)  # 200/300 = 66.67 %: lag
    pj.record_quarter(by=world.office, project=fair, quarter=2, completed=D(300), score=95)  # 100 % and 95: red
    # quiet has no Q2 score and nothing completed: lagging on the plan, not ranked
    b = pj.bulletin(2026, 2)
    assert b.number == "督查通报〔2026〕第2期"
    assert [(r.rank, r.project.code) for r in b.rows] == [(1, "ZD-01"), (1, "ZD-02"), (1, "ZD-03"), (None, "ZD-04")]
    assert [r.project.code for r in b.red_list] == ["ZD-01", "ZD-03"]
    assert [r.project.code for r in b.laggards] == ["ZD-02", "ZD-04"]
    assert b.rows[1].figures.completion_rate == D("66.67") and b.scored == 3
    # in Q1 only the star was scored, 88: no red list
    assert pj.bulletin(2026, 1).red_list == []


def test_key_project_rows_give_the_year_plan_and_the_figures_to_date(world) -> None:
    project = _project(world)
    pj.record_quarter(by=world.office, project=project, quarter=1, completed=D(120), score=91)
    [row] = pj.key_project_rows(type(project).objects.filter(pk=project.pk), 2)
    assert row.year_plan == D(1000)
    assert (row.to_date.planned_to_date, row.to_date.completed_to_date, row.to_date.completion_rate) == (
        D(300), D(120), D("40.00"))
    assert [q.score if q else None for q in row.quarters] == [91.0, None, None, None]


# ---- livelihood projects ------------------------------------------------------------------------------------


def _livelihood(world, code="MS-01", budget="1000", unit=None):
    return pj.create_livelihood_project(by=world.office, year=2026, code=code, name=f"民生{code}",
                                        lead_unit=unit or world.unit1, budget=D(budget))


def test_funds_are_recorded_with_audit_and_paid_cannot_exceed_issued(world) -> None:
    project = _livelihood(world)
    pj.record_funds(by=world.office, project=project, issued=D("1063.2"), paid=D("1008.1"))
    project.refresh_from_db()
    assert (project.issued, project.paid) == (D("1063.20"), D("1008.10"))
    entry = AuditEntry.objects.get(object_type="supervision.LivelihoodProject", object_id=str(project.pk),
                                   action="funds")
    assert entry.changes["issued"] == ["0.00", "1063.20"]
    with pytest.raises(SupervisionRefused, match="不能多于已下达资金"):
        pj.record_funds(by=world.office, project=project, issued=D("500"), paid=D("600"))
    project.refresh_from_db()
    assert project.issued == D("1063.20")  # the refused change left nothing behind
    with pytest.raises(SupervisionRefused):
        pj.record_funds(by=world.leader, project=project, issued=D(1), paid=D(1))


def test_a_livelihood_budget_must_be_positive(world) -> None:
    with pytest.raises(SupervisionRefused, match="大于 0"):
        _livelihood(world, budget="0")


def test_livelihood_totals_are_in_yi_with_the_rates_of_the_sums(world) -> None:
    # 321400 / 341700 / 324000 万元 = Suining's 32.14 / 34.17 / 32.4 亿元
    funds = (("MS-01", "200000", "221700", "210000"), ("MS-02", "121400", "120000", "114000"))
    for code, budget, issued, paid in funds:
        project = _livelihood(world, code, budget)
        pj.record_funds(by=world.office, project=project, issued=D(issued), paid=D(paid))
    rows = pj.livelihood_rows(type(project).objects.filter(year=2026), dt.date(2026, 12, 1))
    totals = pj.livelihood_totals(rows)
    assert (totals.budget, totals.issued, totals.paid) == (D("32.14"), D("34.17"), D("32.40"))
    assert (totals.issued_rate, totals.paid_rate) == (D("106.32"), D("100.81"))
    assert rows[0].issued_rate == D("110.85") and rows[1].paid_rate == D("93.90")


# ---- the inspection plan ------------------------------------------------------------------------------------


def test_the_27th_inspection_under_a_plan_of_26_needs_an_approval(world) -> None:
    pj.set_plan(by=world.office, year=2026, allowed=26, note="市委办〔2026〕1号")
    assert pj.inspections_left(2026) == 26
    for n in range(26):
        pj.schedule_inspection(by=world.office, title=f"第{n + 1}次督查", kind=Inspection.Kind.SPECIAL,
                               day=dt.date(2026, 3, 1) + dt.timedelta(days=n), units=[world.unit1])
    assert pj.inspections_left(2026) == 0
    with pytest.raises(SupervisionRefused, match="计划外的督查检查须经批准"):
        pj.schedule_inspection(by=world.office, title="第27次督查", kind=Inspection.Kind.UNANNOUNCED,
                               day=dt.date(2026, 11, 2))
    assert Inspection.objects.filter(year=2026).count() == 26
    extra = pj.schedule_inspection(by=world.office, title="第27次督查", kind=Inspection.Kind.UNANNOUNCED,
                                   day=dt.date(2026, 11, 2), approval="张市长批准，市府办〔2026〕88号")
    assert not extra.in_plan and extra.approval == "张市长批准，市府办〔2026〕88号"
    assert pj.inspections_left(2026) == 0
    entry = AuditEntry.objects.get(object_type="supervision.Inspection", object_id=str(extra.pk))
    assert entry.reason == extra.approval and entry.changes["in_plan"] == [None, False]
    assert AuditEntry.objects.filter(object_type="supervision.Inspection").count() == 27
    summary = pj.plan_summary(2026)
    assert (summary.plan.allowed, summary.scheduled, summary.left, len(summary.beyond)) == (26, 26, 0, 1)


def test_no_inspection_without_a_plan_and_the_plan_is_audited(world) -> None:
    with pytest.raises(SupervisionRefused, match="还没有督查检查计划"):
        pj.schedule_inspection(by=world.office, title="综合督查", kind=Inspection.Kind.COMPREHENSIVE,
                               day=dt.date(2026, 5, 1))
    pj.set_plan(by=world.office, year=2026, allowed=26)
    pj.set_plan(by=world.office, year=2026, allowed=26)  # unchanged: no second entry
    pj.set_plan(by=world.office, year=2026, allowed=24)
    changes = [e.changes["allowed"] for e in AuditEntry.objects.filter(object_type="supervision.InspectionPlan")
               .order_by("id")]
    assert changes == [[None, 26], [26, 24]]
    with pytest.raises(SupervisionRefused):
        pj.set_plan(by=world.leader, year=2026, allowed=30)
