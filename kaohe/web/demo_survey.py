"""The demo city's satisfaction survey (满意度测评) of the 2026 cycle, written through the survey services.

The service users' survey of the city's departments on S1 (服务对象满意度测评), open on the day the demo is loaded:

- 电话调查 (a telephone survey company's file, imported): the example's own S1 answers, 3,070 of them, exactly the
  counts in examples/suining_city.json, with a few comments;
- 服务对象 (one-time invitation codes): codes made, some of them used, and a run of sheets from one address in a few
  minutes, flagged for the office's review;
- 群众 (the open link): sheets from the public, several with a comment;
- comments with phone numbers (masked for the units), some answered by their unit, 市统计局 (the stat login) among
  them, others waiting for an answer.

Every answer and comment is demo data. Dates are relative to the day the demo is loaded (the answers spread over
the days since the survey opened, so the live monitor has hours to show).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import User
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from kaohe.indicators.models import Cycle
from kaohe.surveys import imports
from kaohe.surveys import services as svc
from kaohe.surveys.models import CHOICE_LABELS, Comment, Group, Question, Submission, Survey
from kaohe.web.demo_supervision import Backdating
from kaohe.web.demo_year import clerk

TITLE = "2026年度服务对象满意度测评（演示）"
OPENED_DAYS_AGO, CLOSES_IN_DAYS = 14, 16
INVITATIONS, INVITED_ANSWERS, OPEN_ANSWERS, BURST = 150, 60, 36, 14
BURST_ADDRESS = "10.66.8.8"
# How often each choice is picked on the web sheets (the demo's service users are mostly satisfied).
WEIGHTS = {"satisfied": 70, "fairly_satisfied": 18, "basically_satisfied": 8, "unsatisfied": 4}

# (unit code, comment): what service users wrote; the numbers are made up and masked before units read them.
PHONE_COMMENTS = [
    ("B06", "统计数据申报系统月底经常登录不上，希望扩容。联系电话13912345678"),
    ("B01", "项目备案跑了两趟才办完，希望一次告知需要的材料。"),
    ("B05", "社保卡补办很快，窗口工作人员态度好。"),
    ("B10", "小区加装电梯审批时间太长，电话15808080808，请回复进度。"),
]
WEB_COMMENTS = [
    ("B06", "企业统计报表培训很有用，建议多开几期线上课程。"),
    ("B03", "财政补贴资金到账慢，身份证号51090219800101123X 的申请三个月未到账。"),
    ("B08", "办证大厅排队叫号系统常出故障。"),
    ("B02", "政策解读清楚，工作人员主动上门服务，点赞。"),
    ("B07", "投诉电话18681234567 打了三次才有人接。"),
]
REPLIES = {
    "B06": "感谢反馈。申报系统已于本月扩容，月底高峰期间另开通备用入口，详见市统计局网站通知。",
    "B01": "已梳理项目备案材料清单并在政务服务网公布，窗口实行一次性告知，欢迎监督。",
    "B05": "感谢您的肯定，我们将继续提升窗口服务。",
}


@dataclass
class SurveySummary:
    survey: Survey
    imported: int
    web: int
    flagged: int
    comments: int
    replied: int

    def summary(self) -> str:
        return (f"「{self.survey.title}」测评中：电话调查导入 {self.imported} 条，网上答卷 {self.web} 份"
                f"（待复核 {self.flagged} 份），意见建议 {self.comments} 条（已答复 {self.replied} 条）")


def _choice(rng: random.Random) -> str:
    return rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]


def _moment(rng: random.Random, opened: dt.datetime, now: dt.datetime) -> dt.datetime:
    """When a web sheet came in: in the daytime (7:00–22:59), most in the last two days, the rest since the survey
    opened, never in the last hour (the run of sheets from one address is there)."""
    start = max(opened, now - dt.timedelta(hours=46)) if rng.random() < 0.6 else opened
    while True:
        at = start + dt.timedelta(seconds=rng.randrange(int((now - start).total_seconds())))
        if 7 <= timezone.localtime(at).hour < 23 and at < now - dt.timedelta(hours=1):
            return at


def _telephone_file(folder: Path, example: dict, opened: dt.datetime, rng: random.Random) -> Path:
    """The telephone survey company's CSV: one row per answer of the example's S1 counts, in the daytime of the days
    since the survey opened."""
    rows = [(r["unit"], r["choice"]) for r in example["responses"] if r["indicator"] == "S1"
            for _ in range(r["count"])]
    rng.shuffle(rows)
    notes = {}  # each comment goes with an answer about its own unit, so that the counts stay the example's
    for k, (unit, text) in enumerate(PHONE_COMMENTS):
        start = k * len(rows) // len(PHONE_COMMENTS)
        notes[next(i for i in range(start, len(rows)) if rows[i][0] == unit and i not in notes)] = text
    path = folder / "电话调查-服务对象满意度（演示）.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(imports.HEADERS)
        days, day_minutes = OPENED_DAYS_AGO - 1, (20 - 9) * 60  # the calls were made from 9:00 to 20:00
        first = dt.datetime.combine(timezone.localtime(opened).date(), dt.time(9, 0))
        for i, (unit, choice) in enumerate(rows):
            k = i * days * day_minutes // len(rows)
            at = first + dt.timedelta(days=k // day_minutes, minutes=k % day_minutes)
            out.writerow([f"DH{i + 1:05d}", "phone", unit, "S1", str(CHOICE_LABELS[choice]), notes.get(i, ""),
                          at.strftime("%Y-%m-%d %H:%M")])
    return path


def build_survey(*, cycle: Cycle, office: User, stat: User, example: dict, today: dt.date) -> SurveySummary:
    rng = random.Random(2026)
    now = timezone.now()
    opened = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=OPENED_DAYS_AGO), dt.time(9, 0)))
    closes = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=CLOSES_IN_DAYS), dt.time(18, 0)))
    survey = svc.create_survey(by=office, cycle=cycle, title=TITLE, open_link=True, opens_at=opened, closes_at=closes,
                               intro="请根据您近一年到市级部门办事的亲身感受，对各部门的服务作出评价。本测评为演示数据。")
    # the demo's burst: more than 10 sheets from one address within 10 minutes
    survey = svc.update_survey(by=office, survey=survey, burst_minutes=10, burst_count=10)
    phone = svc.add_group(by=office, survey=survey, code="phone", name="电话调查", kind=Group.Kind.SERVICE_USERS,
                          channel=Group.Channel.IMPORT)
    users = svc.add_group(by=office, survey=survey, code="users", name="服务对象", kind=Group.Kind.SERVICE_USERS,
                          channel=Group.Channel.INVITATION)
    public = svc.add_group(by=office, survey=survey, code="public", name="群众", kind=Group.Kind.PUBLIC,
                           channel=Group.Channel.OPEN_LINK)
    depts = list(cycle.units.filter(domain__code="dept").order_by("code"))
    question = svc.add_question(by=office, survey=survey, indicator=cycle.indicators.get(code="S1"),
                                direction=Question.Direction.BOTTOM_UP, text="您对以下市级部门的服务是否满意？",
                                units=depts, groups=[phone, users, public])
    survey = svc.set_status(by=office, survey=survey, status=Survey.Status.OPEN)

    with tempfile.TemporaryDirectory() as folder:
        path = _telephone_file(Path(folder), example, opened, rng)
        batch = imports.create_batch(by=office, survey=survey, filename=path.name)
        batch = imports.run_import(batch_pk=batch.pk, path=path)
    if batch.state != batch.State.DONE:
        raise RuntimeError(f"the demo's telephone survey file was refused: {batch.problems[:3]}")

    back = Backdating()
    by_code = {u.code: u for u in depts}
    sheets = []

    def sheet(group: Group, comments=(), **kw) -> Submission:
        answers = [(question, u, _choice(rng)) for u in rng.sample(depts, rng.randint(3, 6))]
        return svc.submit(survey=survey, group=group, answers=answers, comments=comments, **kw)

    tokens = svc.make_tokens(by=office, survey=survey, group=users, n=INVITATIONS)
    for i, token in enumerate(tokens[:INVITED_ANSWERS]):
        sheets.append((sheet(users, token=token, ip=f"10.{20 + i % 7}.{i}.{rng.randint(2, 250)}"), token))
    comments = iter(WEB_COMMENTS)
    for i in range(OPEN_ANSWERS):
        note = next(comments, None) if i % 4 == 1 else None
        sub = sheet(public, comments=[(question, by_code[note[0]], note[1])] if note else [],
                    ip=f"172.16.{i}.{i + 9}", device=f"demo-device-{i:03d}")
        sheets.append((sub, None))
    for (sub, token), at in zip(sheets, sorted(_moment(rng, opened, now) for _ in sheets), strict=True):
        back.set(sub, "submitted_at", at)
        if token is not None:
            back.set(token, "used_at", at)
    # a run of sheets from one address with a stack of codes, in the last hour: those after the survey's burst
    # count (10 in 10 minutes) are flagged for review
    burst_at = now - dt.timedelta(minutes=50)
    for j, token in enumerate(tokens[INVITED_ANSWERS:INVITED_ANSWERS + BURST]):
        sub = sheet(users, token=token, ip=BURST_ADDRESS)
        back.set(sub, "submitted_at", burst_at + dt.timedelta(seconds=25 * j))
        back.set(token, "used_at", sub.submitted_at)
    back.flush()
    survey.comments.filter(submission__isnull=False).update(created_at=Subquery(
        Submission.objects.filter(pk=OuterRef("submission_id")).values("submitted_at")[:1]))
    svc.fold_counts(survey)

    replied: set[str] = set()  # the first comment of each unit in REPLIES is answered; a later one waits
    for c in Comment.objects.filter(survey=survey).select_related("unit").order_by("created_at", "id"):
        if c.unit.code in REPLIES and c.unit.code not in replied:
            svc.reply_comment(by=stat if c.unit.code == "B06" else clerk(c.unit), comment=c, text=REPLIES[c.unit.code])
            replied.add(c.unit.code)
    subs = Submission.objects.filter(survey=survey)
    flagged = subs.filter(status=Submission.Status.FLAGGED).count()
    return SurveySummary(survey, batch.rows_done, subs.count(), flagged, Comment.objects.filter(survey=survey).count(),
                         len(replied))
