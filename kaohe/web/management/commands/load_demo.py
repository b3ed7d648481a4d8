"""`manage.py load_demo`: the Suining-style example city as three cycles, with one person for every role.

2024 and 2025 are demo history (kaohe/web/demo_history.py): complete years whose results are final, so that
trends and the consecutive-year rules of 结果运用 show something. The 2026 cycle is shown in the middle of its
year-end phase, whatever the day it is loaded: the half-year evaluation (computation No. 1) is done and its
problems are being rectified, year-end reports are being filled in and reviewed, rater sheets are partly
filled, bonus and deduction entries are in the register (see kaohe/web/demo_year.py); its year of supervision
(kaohe/web/demo_supervision.py) and its satisfaction survey, open, with imported and web answers and comments
(kaohe/web/demo_survey.py).

Demo only: the passwords are fixed and printed, so that anyone can try the platform; a real
installation creates its people itself and never runs this command.
"""

from __future__ import annotations

import contextlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from kaohe.indicators import gates
from kaohe.indicators.models import Cycle
from kaohe.indicators.services import create_cycle, import_scenario, save_phases
from kaohe.organisation.models import Domain, Profile, Unit
from kaohe.reporting.models import Evidence
from kaohe.results.models import Run
from kaohe.results.models_export import CardExport
from kaohe.results.services import announce_run, compute_cycle
from kaohe.web.demo_history import YEARS, add_rules, build_history, history_name
from kaohe.web.demo_supervision import Supervision, build_supervision
from kaohe.web.demo_survey import SurveySummary, build_survey
from kaohe.web.demo_year import Year, build_year, phases

EXAMPLE = Path(settings.BASE_DIR) / "examples" / "suining_city.json"
YEAR = 2026
CYCLE_NAME = "2026年度目标绩效考核（遂宁式示例市）"

DOMAINS = {"county": ("县（市、区）", 1), "park": ("市直园区", 2), "dept": ("市直部门", 3)}
KINDS = {"county": Unit.Kind.COUNTY, "park": Unit.Kind.PARK, "dept": Unit.Kind.DEPARTMENT}
# Lead units named in the example that are not assessed themselves (codes are ours).
LEAD_ONLY_UNITS = {"市委绩效办": ("JXB", Unit.Kind.OFFICE), "市委督查室": ("DCS", Unit.Kind.DEPARTMENT),
                   "市纪委监委机关": ("JWJW", Unit.Kind.DEPARTMENT)}


@dataclass(frozen=True)
class Person:
    username: str
    password: str
    role: str
    unit_code: str | None
    name: str
    post: str
    what: str  # what this login shows, for the printed list


PEOPLE = [
    Person("office", "office-demo-2026", Profile.Role.OFFICE, "JXB", "李明", "考核科科长",
           "考核办 assessment office: everything"),
    Person("leader", "leader-demo-2026", Profile.Role.LEADER, None, "张华", "市长",
           "领导 leader: reads everything"),
    Person("stat", "stat-demo-2026", Profile.Role.UNIT, "B06", "王芳", "综合科科员",
           "市统计局 clerk: scoring lead unit of 8 indicators, and an assessed department"),
    Person("county", "county-demo-2026", Profile.Role.UNIT, "X01", "赵强", "目标办主任",
           "涪川区 clerk: an assessed county, sees only its own data"),
]


class Command(BaseCommand):
    help = ("Load the demo city (examples/suining_city.json) with one login per role: 2024 and 2025 as history "
            "with final results, and 2026 in the middle of its year-end phase.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true",
                            help="delete the demo cycle and rebuild it (demo people get their demo passwords back)")

    def handle(self, *args, reset: bool = False, **options) -> None:
        existing = Cycle.objects.filter(year=YEAR, name=CYCLE_NAME)
        if existing.exists() and not reset:
            self.stdout.write(f"演示数据已存在 The demo is already loaded: 「{CYCLE_NAME}」 "
                              "(use --reset to rebuild it).")
        else:
            # the console mail backend prints every notice's mail, after the commit: keep them off the screen
            with contextlib.redirect_stdout(io.StringIO()), transaction.atomic():
                if reset:
                    history = Cycle.objects.filter(name__in=[history_name(y) for y in YEARS])
                    for cycle in [*existing, *history]:
                        remove(cycle)
                run, year, supervision, survey = build(reset=reset)
            self.stdout.write(f"已载入演示数据 Demo loaded: 「{CYCLE_NAME}」, {run.unit_results.count()} units, "
                              f"computation No. {run.number} ({run.get_stage_display()}, {run.get_status_display()}).")
            self.stdout.write("历史年度 Demo history (final results): "
                              + "; ".join(f"「{history_name(y)}」" for y in YEARS))
            self.stdout.write(f"进行中 In progress: {year.summary()}")
            self.stdout.write(f"督查督办 Supervision: {supervision.summary()}")
            self.stdout.write(f"满意度测评 Survey: {survey.summary()}")
        self.print_logins()

    def print_logins(self) -> None:
        self.stdout.write("演示账号 Demo logins (demo only: change these passwords before any real use):")
        for p in PEOPLE:
            self.stdout.write(f"  {p.username:<8} {p.password:<18} {p.what}")


def remove(cycle: Cycle) -> None:
    """Delete the demo cycle with everything in it; the evidence files go once the deletion is committed (a survey's
    imported file is not kept by the demo: it imports from a temporary folder)."""
    files = [e.file.name for e in Evidence.objects.filter(cycle=cycle)]
    files += [job.file for job in CardExport.objects.filter(run__cycle=cycle) if job.file]
    cycle.reports.all().delete()  # reports hold their phase (PROTECT): they go first
    cycle.appeals.all().delete()  # appeals hold the versions they contest (PROTECT)
    cycle.surveys.all().delete()  # survey questions hold their indicators (PROTECT)
    CardExport.objects.filter(run__cycle=cycle).delete()
    runs = Run.objects.filter(cycle=cycle)
    for run in runs.order_by("-number"):  # a correction holds the version it corrects (PROTECT): newest first
        run.delete()
    cycle.delete()  # the rest cascades: phases, problems, raters and sheets, register entries, evidence rows

    def forget() -> None:
        for name in files:
            Evidence.file.field.storage.delete(name)

    transaction.on_commit(forget)


def build(*, reset: bool) -> tuple[Run, Year, Supervision, SurveySummary]:
    scenario = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    domains = {}
    for code, (name, order) in DOMAINS.items():
        domains[code], _ = Domain.objects.update_or_create(code=code, defaults={"name": name, "order": order})
    # Units first, with their kinds; import_scenario keeps them and links lead units by name.
    for u in scenario["units"]:
        Unit.objects.update_or_create(code=u["id"], defaults={"name": u["name"], "kind": KINDS[u["domain"]],
                                                              "domain": domains[u["domain"]]})
    for name, (code, kind) in LEAD_ONLY_UNITS.items():
        Unit.objects.update_or_create(code=code, defaults={"name": name, "kind": kind, "domain": domains["dept"]})
    people = {p.username: person(p, reset=reset) for p in PEOPLE}
    office = people["office"]
    build_history(office=office, example=scenario, today=gates.today())
    cycle = create_cycle(by=office, year=YEAR, name=CYCLE_NAME)
    save_phases(by=office, cycle=cycle, phases=phases(gates.today()), reason="演示数据")
    import_scenario(by=office, cycle=cycle, scenario=scenario, source=EXAMPLE.name, reason="演示数据")
    unlinked = sorted(cycle.indicators.exclude(lead_unit_text="").values_list("lead_unit_text", flat=True))
    if unlinked:
        raise CommandError(f"lead units without a unit: {unlinked}")
    add_rules(by=office, cycle=cycle)
    run = compute_cycle(by=office, cycle=cycle, stage="half_year")
    # the half-year result is fed back to the units (通报): leaders and units read it
    ph = cycle.phases.get(kind="half_year")
    announce_run(by=office, run=run, until=max(ph.ends, gates.today()), reason="半年评估结果通报")
    year = build_year(cycle=cycle, office=office, leader=people["leader"], stat=people["stat"],
                      county=people["county"], example=scenario)
    supervision = build_supervision(cycle=cycle, office=office, leader_name=people["leader"].profile.name,
                                    people_by_unit_code={"X01": people["county"], "B06": people["stat"]},
                                    today=gates.today())
    survey = build_survey(cycle=cycle, office=office, stat=people["stat"], example=scenario, today=gates.today())
    return run, year, supervision, survey


def person(p: Person, *, reset: bool) -> User:
    user, created = User.objects.get_or_create(username=p.username)
    if created or reset:
        user.set_password(p.password)
        user.save()
    unit = Unit.objects.get(code=p.unit_code) if p.unit_code else None
    Profile.objects.update_or_create(user=user, defaults={"role": p.role, "unit": unit, "name": p.name,
                                                          "post": p.post})
    return user
