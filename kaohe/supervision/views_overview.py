"""The supervision overview pages: my items, the office's board, the list and its Excel, the calendar, 专报."""

from __future__ import annotations

import calendar as cal
import datetime as dt
import re
from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kaohe.indicators import gates
from kaohe.lib.downloads import xlsx_response
from kaohe.web import access

from . import report, selectors
from .forms_overview import ReportForm
from .models import Item, State

PER_PAGE = 50
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MY_GROUPS = ["overdue", "at_risk", "due_soon", "awaiting", "open"]


def _group_label(key: str) -> str:
    labels = {"overdue": State.OVERDUE.label, "at_risk": State.AT_RISK.label,
              "due_soon": _("%(n)d天内到期") % {"n": selectors.DUE_SOON_DAYS}, "awaiting": State.COMPLETED.label,
              "open": _("全部在办")}
    return str(labels[key])


@login_required
@require_GET
def supervision_home(request: HttpRequest) -> HttpResponse:
    """The office starts on its board; leaders and units on the items they answer for."""
    if access.is_office(request.user):
        return redirect("supervision_board")
    return redirect("supervision_mine")


@login_required
@require_GET
def supervision_mine(request: HttpRequest) -> HttpResponse:
    day = gates.today()
    mine = selectors.my_items(request.user, day)
    show = request.GET.get("show", "")
    if show not in MY_GROUPS:
        show = "open"
    groups = [(key, _group_label(key), len(getattr(mine, key))) for key in MY_GROUPS]
    ctx = {"groups": groups, "show": show, "shown_label": _group_label(show),
           "items": getattr(mine, show), "today": day, "unit": access.own_unit(request.user),
           "leader": access.role(request.user) == "leader", "office": access.is_office(request.user),
           "reads_all": access.reads_everything(request.user)}
    return render(request, "supervision/mine.html", ctx)


def _year(request: HttpRequest, day: dt.date, allow_all: bool = False) -> int | None:
    """?year=2026, or the current year; "all" (where allowed) for every year."""
    raw = request.GET.get("year", "")
    if allow_all and raw == "all":
        return None
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    if raw:
        messages.warning(request, _("年度“%(y)s”无效，已显示 %(d)d 年。") % {"y": raw, "d": day.year})
    return day.year


@login_required
@require_GET
def supervision_board(request: HttpRequest) -> HttpResponse:
    if not access.reads_everything(request.user):
        raise PermissionDenied
    day = gates.today()
    year = _year(request, day)
    b = selectors.board(request.user, year, day)
    ctx = {"board": b, "year": year, "years": selectors.years_for(request.user, day), "today": day,
           "office": access.is_office(request.user)}
    return render(request, "supervision/board.html", ctx)


def _filters(request: HttpRequest, day: dt.date) -> tuple[selectors.Filters, list]:
    """The list's filters from the query string; a unit cannot filter by (or learn of) other units."""
    f = selectors.Filters(year=_year(request, day, allow_all=True))
    if request.GET.get("source") in Item.Source.values:
        f.source = request.GET["source"]
    if request.GET.get("state") in State.values:
        f.state = request.GET["state"]
    f.text = request.GET.get("q", "").strip()[:100]
    units: list = []
    if access.reads_everything(request.user):
        units = list(selectors.units_in_items(access.items_for(request.user)))
        if request.GET.get("unit", "").isdigit():
            f.unit = next((u for u in units if u.pk == int(request.GET["unit"])), None)
    return f, units


@login_required
@require_GET
def supervision_items(request: HttpRequest) -> HttpResponse:
    day = gates.today()
    f, units = _filters(request, day)
    page = Paginator(selectors.filtered_items(request.user, f, day), PER_PAGE).get_page(request.GET.get("page"))
    ctx = {"filters": f, "page": page, "items": page.object_list, "units": units,
           "years": selectors.years_for(request.user, day), "sources": Item.Source.choices, "states": State.choices,
           "query": urlencode(f.query()), "today": day, "reads_all": access.reads_everything(request.user),
           "office": access.is_office(request.user)}
    return render(request, "supervision/list.html", ctx)


@login_required
@require_GET
def supervision_items_export(request: HttpRequest) -> HttpResponse:
    day = gates.today()
    f, _units = _filters(request, day)
    buf = BytesIO()
    selectors.write_items_sheet(buf, selectors.filtered_items(request.user, f, day), day)
    return xlsx_response(buf.getvalue(), f"supervision-{f.year or 'all'}-{day:%Y%m%d}.xlsx")


MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _month(request: HttpRequest, day: dt.date) -> dt.date:
    """?month=2026-09 as the first of that month; the current month when absent or not a month."""
    raw = request.GET.get("month", "")
    m = MONTH.match(raw)
    if m and 2000 <= int(m[1]) <= 2100 and 1 <= int(m[2]) <= 12:
        return dt.date(int(m[1]), int(m[2]), 1)
    if raw:
        messages.warning(request, _("月份“%(m)s”无效（格式如 2026-09），已显示本月。") % {"m": raw})
    return day.replace(day=1)


@login_required
@require_GET
def supervision_calendar(request: HttpRequest) -> HttpResponse:
    day = gates.today()
    first = _month(request, day)
    last = first.replace(day=cal.monthrange(first.year, first.month)[1])
    events = selectors.calendar_events(request.user, first, last, day)
    by_day: dict[dt.date, list] = {}
    for e in events:
        by_day.setdefault(e.day, []).append(e)
    weeks = [[(d, d.month == first.month, by_day.get(d, [])) for d in week]
             for week in cal.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)]
    prev = (first - dt.timedelta(days=1)).replace(day=1)
    nxt = last + dt.timedelta(days=1)
    ctx = {"first": first, "weeks": weeks, "days": sorted(by_day.items()), "today": day,
           "prev": f"{prev:%Y-%m}", "next": f"{nxt:%Y-%m}", "this_month": f"{day:%Y-%m}",
           "weekdays": [_("一"), _("二"), _("三"), _("四"), _("五"), _("六"), _("日")],
           "deadlines": sum(e.kind == "deadline" for e in events), "late": sum(e.late for e in events)}
    return render(request, "supervision/calendar.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def supervision_report(request: HttpRequest) -> HttpResponse:
    """专报: the office picks items (overdue and at-risk ticked to begin with) and downloads PDF or Word."""
    access.require_office(request.user)
    day = gates.today()
    year = _year(request, day) if request.method == "GET" else (
        int(request.POST["year"]) if request.POST.get("year", "").isdigit() else day.year)
    choices = selectors.report_choices(request.user, year, day)
    form = ReportForm(request.POST or None, items=access.items_for(request.user),
                      initial={"items": [i.pk for i in choices if i.state in (State.OVERDUE, State.AT_RISK)]})
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            r = report.make_report(items=d["items"], day=day, title=d["title"], issue=d["issue"], note=d["note"])
            if d["format"] == "docx":
                data, mime = report.write_docx(r), DOCX
            else:
                data, mime = report.write_pdf(r), "application/pdf"
            resp = HttpResponse(data, content_type=mime)
            resp["Content-Disposition"] = content_disposition_header(
                True, f"{r.title}-{day:%Y}-{r.issue}.{d['format']}")
            return resp
        if form.has_error("items"):
            messages.error(request, form.errors["items"][0])
    checked = {str(v) for v in (form["items"].value() or [])}
    ctx = {"form": form, "choices": choices, "checked": checked, "year": year,
           "years": selectors.years_for(request.user, day), "today": day}
    return render(request, "supervision/report_form.html", ctx)
