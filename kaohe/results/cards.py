"""The report card (成绩单) of a unit in a version: every applicable node with its score, points lost, the peer
group's average and best, who answers for it (实绩到人); bonuses and deductions with their reasons; the year's
rectification problems. Read from the version's own scenario and rows, so a card never changes once public.
As a web page, a PDF, an Excel sheet, and every unit's PDF in one zip (the batch export)."""

from __future__ import annotations

import datetime as dt
import io
import logging
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import OperationalError, close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaohe.audit.services import record
from kaohe.indicators.models import Cycle
from kaohe.lib.pdf import render_pdf

from . import selectors
from .models import Run, RunUnit
from .models_export import CardExport

log = logging.getLogger(__name__)

KINDS = {"bonus": gettext_lazy("加分"), "deduction": gettext_lazy("扣分"), "veto": gettext_lazy("一票否决")}


@dataclass
class CardNode(selectors.TreeRow):
    """A node of the score tree with who answers for it and how the unit's ranking group did on it."""

    lead_unit: str = ""
    responsible: str = ""
    peer_avg: float | None = None  # the ranking group's average score on this node (units it applies to)
    peer_best: float | None = None
    peer_count: int = 0


@dataclass
class Card:
    cycle: Cycle
    run: Run
    row: RunUnit
    code: str  # the unit's code as at the run
    group_name: str
    nodes: list[CardNode]
    adjustments: list[dict[str, Any]]
    problems: list
    warnings: list
    has_bonus_line: bool
    bonus_line_in_total: bool


def peer_figures(run: Run, group: str) -> dict[str, tuple[float, float, int]]:
    """Node code -> (average, best, how many units) over the units ranked in `group` in this run.

    Only aggregates leave this function: a unit's card shows its peers' figures, never their names.
    """
    sums: dict[str, list[float]] = {}
    for scores in run.unit_results.filter(group=group).values_list("scores", flat=True):
        for s in scores:
            if s.get("applicable") and s.get("score") is not None:
                sums.setdefault(s["indicator"], []).append(float(s["score"]))
    return {code: (sum(v) / len(v), max(v), len(v)) for code, v in sums.items()}


def adjustments_of(run: Run, code: str) -> list[dict[str, Any]]:
    """The version's bonuses, deductions and vetoes of one unit, with their reasons."""
    return [{"kind": str(KINDS.get(a.get("kind"), a.get("kind") or "")), "raw_kind": a.get("kind"),
             "points": a.get("points") or 0, "reason": a.get("reason") or ""}
            for a in run.scenario.get("adjustments", []) if a.get("unit") == code]


def report_card(row: RunUnit, peers: dict[str, tuple[float, float, int]] | None = None) -> Card:
    """Everything on one unit's card. `peers` may be passed in when many cards of one group are made."""
    run = row.run
    code = run.scenario["units"][row.position]["id"]
    if peers is None:
        peers = peer_figures(run, row.group)
    info = {i["id"]: i for i in run.scenario.get("indicators", [])}
    nodes = []
    for t in selectors.score_tree(row):
        ind = info.get(t.code, {})
        avg, best, count = peers.get(t.code, (None, None, 0))
        nodes.append(CardNode(**vars(t), lead_unit=ind.get("lead_unit") or "", responsible=ind.get("responsible") or "",
                              peer_avg=avg, peer_best=best, peer_count=count))
    indicators = run.scenario.get("indicators", [])
    return Card(cycle=run.cycle, run=run, row=row, code=code, group_name=selectors.group_name(run, row), nodes=nodes,
                adjustments=adjustments_of(run, code), problems=selectors.problems_of(run.cycle, row.unit),
                warnings=selectors.warnings_for(run, code),
                has_bonus_line=any(i.get("line") == "bonus" for i in indicators),
                bonus_line_in_total=bool((run.scenario.get("settings") or {}).get("bonus_line_in_total")))


def card_context(card: Card) -> dict[str, Any]:
    return {"card": card, "cycle": card.cycle, "run": card.run, "row": card.row}


def filename(card: Card, ext: str) -> str:
    return f"{card.cycle.name}-{card.row.unit.name}-成绩单-第{card.run.number}版.{ext}"


def card_pdf(card: Card) -> bytes:
    return render_pdf("results/card_print.html", card_context(card))


def card_xlsx(card: Card) -> bytes:
    """The card as one sheet: the header lines, the node table, adjustments and problems."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    row, run = card.row, card.run
    wb = Workbook()
    ws = wb.active
    ws.title = _("成绩单")
    bold = Font(bold=True)
    ws.append([f"{row.unit.name} {_('成绩单')}"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([card.cycle.name, _("第 %(n)s 次计算") % {"n": run.number}, run.get_publication_display(),
               run.get_stage_display()])
    ws.append([_("排名组"), card.group_name])
    heads = [(_("总分"), row.total), (_("名次"), f"{row.rank} / {row.group_size}"), (_("等次"), row.grade or "—"),
             (_("先进单位"), _("是") if row.advanced else _("否")), (_("一票否决"), _("是") if row.vetoed else _("否")),
             (_("失分"), row.lost), (_("主线得分"), row.main), (_("加分"), row.bonus), (_("扣分"), row.deduction)]
    if card.has_bonus_line:
        heads.append((_("1+N 加分线"), row.bonus_line))
    for label, value in heads:
        ws.append([label, round(value, 2) if isinstance(value, float) else value])
        ws.cell(ws.max_row, 1).font = bold
    ws.append([])
    cols = [_("编号"), _("指标"), _("分值"), _("得分"), _("失分"), _("同组平均"), _("同组最高"), _("牵头单位"),
            _("责任人"), _("计分说明")]
    ws.append(cols)
    fill = PatternFill("solid", fgColor="F2EDED")
    for c in ws[ws.max_row]:
        c.font, c.fill = bold, fill
    for n in card.nodes:
        name = "　" * n.depth + n.name
        if n.applicable:
            ws.append([n.code, name, n.points, _r(n.score), _r(n.lost), _r(n.peer_avg), _r(n.peer_best), n.lead_unit,
                       n.responsible, n.explain])
        else:
            ws.append([n.code, name, None, _("不适用"), None, None, None, n.lead_unit, n.responsible, ""])
        if n.depth == 0:
            ws.cell(ws.max_row, 2).font = bold
        for c in ws[ws.max_row][2:7]:
            c.number_format = "0.00"
    if card.adjustments:
        ws.append([])
        ws.append([_("加减分"), _("分值"), _("事由")])
        for c in ws[ws.max_row]:
            c.font, c.fill = bold, fill
        for a in card.adjustments:
            ws.append([a["kind"], a["points"], a["reason"]])
    if card.problems:
        ws.append([])
        ws.append([_("半年评估问题与整改"), _("指标"), _("整改措施"), _("整改完成时限"), _("状态")])
        for c in ws[ws.max_row]:
            c.font, c.fill = bold, fill
        for p in card.problems:
            ws.append([p.text, f"{p.indicator.code} {p.indicator.name}" if p.indicator else "", p.measures or "",
                       p.due.isoformat() if p.due else "", str(p.get_state_display())])
    for letter, width in zip("ABCDEFGHIJ", (10, 34, 8, 8, 8, 10, 10, 14, 12, 60)):
        ws.column_dimensions[letter].width = width
    for r in ws.iter_rows(min_col=10, max_col=10):
        r[0].alignment = Alignment(wrap_text=True, vertical="top")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _r(x: float | None) -> float | None:
    return None if x is None else round(float(x), 2)


# --- the batch export: every unit's PDF in one zip ---------------------------------------------------------

class ExportRefused(Exception):
    """A batch export that cannot start (a run without results)."""


def export_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "exports"


@transaction.atomic
def start_card_export(*, by, run: Run) -> CardExport:
    """Record the job and, once committed, generate the zip in a background thread (in the calling thread
    when settings.KAOHE_CARD_EXPORT_SYNC is true, as in the tests)."""
    if run.status != Run.Status.OK:
        raise ExportRefused(_("这次计算数据有误，没有成绩单可导出。"))
    total = run.unit_results.count()
    job = CardExport.objects.create(run=run, created_by=by, total=total)
    record(by=by, action="create", obj=job, cycle_id=run.cycle_id,
           changes={"run": [None, run.number], "units": [None, total]})
    if getattr(settings, "KAOHE_CARD_EXPORT_SYNC", False):
        transaction.on_commit(lambda: generate_card_export(job.pk))
    else:
        transaction.on_commit(lambda: threading.Thread(target=_in_thread, args=(job.pk,), daemon=True,
                                                       name=f"card-export-{job.pk}").start())
    return job


def _save_job(job_pk: int, **fields: Any) -> int:
    """Record a running job's progress or end (and its heartbeat); 0 when the job is no longer running (it was
    settled as interrupted meanwhile). The pages poll the job while this thread writes it; on SQLite a reader
    can hold the table for a moment, so a locked table is waited out briefly rather than failing the export."""
    for attempt in range(20):
        try:
            return CardExport.objects.filter(pk=job_pk, status=CardExport.Status.RUNNING).update(
                heartbeat_at=timezone.now(), **fields)
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == 19:
                raise
            time.sleep(0.1)
    return 0


STOPPED_AFTER = dt.timedelta(minutes=2)  # no unit finished for this long: the export's process is gone


def settle_interrupted(run: Run) -> int:
    """The run's exports still "生成中" with no progress for STOPPED_AFTER: their thread went with its process (a
    restart, a recycled worker). They are marked failed with the reason, and a half-written zip is deleted."""
    stale = timezone.now() - STOPPED_AFTER
    settled = 0
    for job in run.card_exports.filter(status=CardExport.Status.RUNNING):
        if (job.heartbeat_at or job.created_at) >= stale:
            continue
        if CardExport.objects.filter(pk=job.pk, status=CardExport.Status.RUNNING).update(
                status=CardExport.Status.FAILED, finished_at=timezone.now(),
                error=_("服务器在导出过程中停止（重启或进程退出）。请重新点“批量导出”。")):
            (export_dir() / _zip_name(job)).unlink(missing_ok=True)
            settled += 1
    return settled


def _zip_name(job: CardExport) -> str:
    return f"cards-{job.run.cycle_id}-{job.run_id}-{job.pk}.zip"


def _in_thread(job_pk: int) -> None:
    close_old_connections()
    try:
        generate_card_export(job_pk)
    except Exception as exc:  # before the first unit (the job or its folder): still a failed job, never "running"
        log.exception("card export %s failed", job_pk)
        _save_job(job_pk, status=CardExport.Status.FAILED, finished_at=timezone.now(),
                                                    error=f"{type(exc).__name__}: {exc}"[:2000])
    finally:
        connection.close()  # the thread's own connection, never returned to a pool


def generate_card_export(job_pk: int) -> None:
    """Write every unit's card as PDF into exports/<file>.zip, saving the progress after each unit. The first
    unit that fails stops the job with its error message (status failed) and leaves no half zip behind."""
    job = CardExport.objects.select_related("run__cycle").get(pk=job_pk)
    run = job.run
    folder = export_dir()
    folder.mkdir(parents=True, exist_ok=True)
    name = _zip_name(job)
    path = folder / name
    _save_job(job.pk)  # the first heartbeat
    rows = list(run.unit_results.select_related("unit", "run__cycle").order_by("position"))
    peers_by_group: dict[str, dict] = {}
    current = ""
    try:
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for i, row in enumerate(rows, start=1):
                current = row.unit.name
                if row.group not in peers_by_group:
                    peers_by_group[row.group] = peer_figures(run, row.group)
                card = report_card(row, peers_by_group[row.group])
                zf.writestr(f"{i:03d}-{row.unit.name}-成绩单.pdf", card_pdf(card))
                if not _save_job(job.pk, done=i):
                    break  # settled as interrupted meanwhile: no more cards for a job that says it stopped
    except Exception as exc:  # one unit failed: the job says which and why, for the office to read
        log.exception("card export %s failed on %s", job.pk, current)
        path.unlink(missing_ok=True)
        _save_job(job.pk, status=CardExport.Status.FAILED, finished_at=timezone.now(),
                  error=f"{current}：{type(exc).__name__}: {exc}"[:2000])
    else:
        if not _save_job(job.pk, status=CardExport.Status.DONE, finished_at=timezone.now(), file=f"exports/{name}",
                         done=len(rows)):
            path.unlink(missing_ok=True)  # settled as interrupted meanwhile: it stays as the page says


def export_path(job: CardExport) -> Path | None:
    """The zip on disk of a finished job, or None."""
    if job.status != CardExport.Status.DONE or not job.file:
        return None
    path = Path(settings.MEDIA_ROOT) / job.file
    return path if path.is_file() else None
