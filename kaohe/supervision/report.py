"""The special report (督查专报) to leaders on a selection of items, as PDF or Word (.docx)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from io import BytesIO

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.lib.pdf import render_pdf

from . import selectors
from .models import Item, State

DEFAULT_TITLE = "督查专报"
# East Asian text in Word needs its own font (w:eastAsia); SimSun is on every office PC, Noto on our servers
DOCX_FONT = "SimSun"
DOCX_FONT_LATIN = "Times New Roman"


@dataclass
class LetterLine:
    number: str
    kind: str
    unit: str
    day: dt.date
    points: float


@dataclass
class ReportRow:
    code: str
    title: str
    source: str
    source_ref: str
    lead_leader: str
    responsible_leader: str
    lead_unit: str
    responsible_units: str
    deadline: dt.date
    state: State
    days_overdue: int | None
    percent: int | None = None  # of the latest progress; None when nothing was reported
    progress_text: str = ""
    progress_day: dt.date | None = None
    letters: list[LetterLine] = field(default_factory=list)

    @property
    def state_label(self) -> str:
        return str(self.state.label)


@dataclass
class Report:
    title: str
    issue: int
    note: str
    day: dt.date
    office: str
    rows: list[ReportRow]

    @property
    def counts(self) -> list[tuple[str, int]]:
        """How many of the reported items are in each state (states with none left out)."""
        n = Counter(r.state for r in self.rows)
        return [(str(s.label), n[s]) for s in selectors.URGENCY if n[s]]

    @property
    def summary(self) -> str:
        parts = "，".join(f"{label} {n} 项" for label, n in self.counts)
        return _("本期报告督办事项 %(n)d 项：%(parts)s。") % {"n": len(self.rows), "parts": parts}


def build_report_rows(items: Iterable[Item], day: dt.date) -> list[ReportRow]:
    """One row per item, most urgent first, with its four parties, state, latest progress and letters.

    A fixed number of queries: the items with their units, their states, latest progress and letters.
    """
    items = selectors.by_urgency(selectors.with_states(selectors.overview_items(
        Item.objects.filter(pk__in=[i.pk for i in items])), day))
    latest = selectors.latest_progress_for(items)
    letters = selectors.letters_for(items)
    rows = []
    for i in items:
        p = latest.get(i.pk)
        rows.append(ReportRow(
            code=i.code, title=i.title, source=str(i.get_source_display()), source_ref=i.source_ref,
            lead_leader=i.lead_leader, responsible_leader=i.responsible_leader, lead_unit=i.lead_unit.name,
            responsible_units="、".join(u.name for u in i.responsible_units.all()), deadline=i.deadline,
            state=i.state, days_overdue=(day - i.deadline).days if i.state == State.OVERDUE else None,
            percent=p.percent if p else None, progress_text=p.text if p else "",
            progress_day=timezone.localdate(p.reported_at) if p else None,
            letters=[LetterLine(x.number, str(x.get_kind_display()), x.unit.name, timezone.localdate(x.sent_at),
                                x.points) for x in letters.get(i.pk, [])]))
    return rows


def make_report(*, items: Iterable[Item], day: dt.date, title: str = DEFAULT_TITLE, issue: int, note: str = ""
                ) -> Report:
    return Report(title=title.strip() or DEFAULT_TITLE, issue=issue, note=note.strip(), day=day,
                  office=settings.KAOHE_OFFICE_NAME, rows=build_report_rows(items, day))


def write_pdf(report: Report) -> bytes:
    return render_pdf("supervision/report_print.html", {"report": report})


def _progress_line(r: ReportRow) -> str:
    if r.percent is None:
        return _("尚未报送进展")
    return f"{r.percent}%　{r.progress_text}（{r.progress_day:%Y-%m-%d}）"


def _letters_line(r: ReportRow) -> str:
    if not r.letters:
        return _("无")
    return "；".join(f"{x.number} {x.kind}（{x.unit}，{x.day:%Y-%m-%d}" + (f"，扣 {x.points:g} 分" if x.points else "")
                    + "）" for x in r.letters)


def _four_parties(r: ReportRow) -> list[tuple[str, str]]:
    return [(_("牵头领导"), r.lead_leader or "—"), (_("责任领导"), r.responsible_leader or "—"),
            (_("牵头单位"), r.lead_unit), (_("责任单位"), r.responsible_units or r.lead_unit)]


def _cjk(run_or_style, size: float | None = None, bold: bool | None = None, color: str | None = None) -> None:
    """Set the Latin and East Asian fonts (w:rFonts w:eastAsia), so Word does not fall back to a font without CJK."""
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    font = run_or_style.font
    font.name = DOCX_FONT_LATIN
    rpr = run_or_style.element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), DOCX_FONT)
    if size:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if color:
        font.color.rgb = RGBColor.from_string(color)


def write_docx(report: Report) -> bytes:
    """The same report as a Word document (python-docx), for the office to edit before it goes out."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = Document()
    for name in ("Normal", "Heading 1", "Heading 2", "Title", "Table Grid"):
        if name in [s.name for s in doc.styles]:
            _cjk(doc.styles[name])
    _cjk(doc.styles["Normal"], size=11)

    def para(text: str = "", *, size: float | None = None, bold: bool = False, color: str | None = None,
             align=None):
        p = doc.add_paragraph()
        if align is not None:
            p.alignment = align
        run = p.add_run(text)
        _cjk(run, size=size, bold=bold, color=color)
        return p

    para(report.title, size=24, bold=True, color="B00000", align=WD_ALIGN_PARAGRAPH.CENTER)
    para(_("第 %(n)d 期") % {"n": report.issue}, size=12, align=WD_ALIGN_PARAGRAPH.CENTER)
    d = report.day
    para(f"{report.office}　　{d.year}年{d.month}月{d.day}日", size=11, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(report.summary, size=12)
    if report.note:
        para(report.note, size=12)
    for n, r in enumerate(report.rows, 1):
        para(f"{n}. {r.code} {r.title}", size=13, bold=True)
        lines = [(_("来源"), r.source + (f"（{r.source_ref}）" if r.source_ref else ""))] + _four_parties(r) + [
            (_("完成时限"), f"{r.deadline:%Y-%m-%d}"),
            (_("状态"), r.state_label + (_("（逾期 %(d)d 天）") % {"d": r.days_overdue} if r.days_overdue else "")),
            (_("最新进展"), _progress_line(r)), (_("督办文书"), _letters_line(r))]
        table = doc.add_table(rows=0, cols=2)
        table.style = doc.styles["Table Grid"]
        for label, value in lines:
            cells = table.add_row().cells
            for cell, text, bold in ((cells[0], label, True), (cells[1], value, False)):
                run = cell.paragraphs[0].add_run(text)
                _cjk(run, size=10.5, bold=bold)
        for row in table.rows:
            row.cells[0].width = _cm(3)
            row.cells[1].width = _cm(13)
    buf = BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _cm(x: float):
    from docx.shared import Cm

    return Cm(x)
