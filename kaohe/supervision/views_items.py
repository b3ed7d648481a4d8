"""The supervision item pages: registering and editing, the item's page, progress, closure, look-back,
decomposition, letters (两书一函) with their PDFs, and the Excel import."""

from __future__ import annotations

from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from kaohe.audit import selectors as audit
from kaohe.indicators import gates
from kaohe.lib.downloads import xlsx_response
from kaohe.organisation.models import Profile, Unit
from kaohe.register.services import EntryRefused
from kaohe.reporting.evidence import EvidenceRefused
from kaohe.web import access

from . import services as svc
from .forms_items import (CloseForm, CompleteForm, DecomposeForm, ImportForm, ItemForm, LetterForm, ProgressForm,
                          ReopenForm, milestone_lines, suggested_code, year_cycle)
from .models import AT_RISK_DAYS, AT_RISK_PERCENT, Item, Letter, Progress, item_state

ACTIONS = {"create": gettext_lazy("立项"), "update": gettext_lazy("修改"), "decompose": gettext_lazy("分解"),
           "progress": gettext_lazy("报送进展"), "complete": gettext_lazy("申请办结"),
           "close": gettext_lazy("核验销号"), "reopen": gettext_lazy("回头看，重新整改"),
           "letter": gettext_lazy("督办文书"), "overdue": gettext_lazy("逾期")}
# keys the services write that are not fields of Item
FIELDS = {"milestones": gettext_lazy("节点"), "children": gettext_lazy("子事项"), "unit": gettext_lazy("单位"),
          "percent": gettext_lazy("完成进度（%）"), "text": gettext_lazy("内容"),
          "milestone_done": gettext_lazy("完成节点"), "evidence": gettext_lazy("佐证材料"),
          "on_site": gettext_lazy("实地核验"), "letter": gettext_lazy("文号"), "kind": gettext_lazy("文书类型"),
          "failing": gettext_lazy("问题类型"), "points": gettext_lazy("扣分"), "entry": gettext_lazy("扣分登记")}


def _history(request: HttpRequest, item: Item) -> list:
    """The item's audit entries; a unit does not see the letters sent to other units (their deductions)."""
    own = access.own_unit(request.user)
    rows = []
    for e in audit.history("supervision.Item", str(item.pk)):
        if own is not None and e.action == "letter" and (e.changes or {}).get("unit", [None, None])[1] != own.code:
            continue
        changes = audit.changes(e)
        for c in changes:
            c.field = str(FIELDS.get(c.field, c.field))
        rows.append((e, str(ACTIONS.get(e.action, audit.action_label(e.action))), "", changes))
    return rows


def _office_item(request: HttpRequest, pk: int) -> Item:
    """An item the office changes: 404 for those who may not see it, 403 for those who see but may not change."""
    item = access.get_item_for_user(request.user, pk)
    access.require_office(request.user)
    return item


def _leaders() -> list[str]:
    return list(Profile.objects.filter(role=Profile.Role.LEADER).exclude(name="").order_by("name")
                .values_list("name", flat=True).distinct())


def _children(request: HttpRequest, item: Item, day) -> list[tuple[Item, str]]:
    """Sub-items this person may see, each with its state (from prefetched progress and milestones)."""
    children = (access.items_for(request.user).filter(parent=item).order_by("code")
                .prefetch_related("progress", "milestones", "responsible_units"))
    out = []
    for c in children:
        latest = next(iter(c.progress.all()), None)  # Progress is ordered newest first
        state = item_state(status=c.status, deadline=c.deadline, day=day,
                           latest_percent=latest.percent if latest else None,
                           milestones=[(m.due, m.done_at is not None) for m in c.milestones.all()])
        out.append((c, state))
    return out


def _detail(request: HttpRequest, item: Item, **forms) -> HttpResponse:
    user = request.user
    day = gates.today()
    office, reads_all, own = access.is_office(user), access.reads_everything(user), access.own_unit(user)
    state = item.state_on(day)
    milestones = list(item.milestones.all())
    for m in milestones:
        m.late = m.done_at is None and m.due < day
    progress = list(Progress.objects.filter(item=item).select_related("unit", "milestone", "reported_by__profile")
                    .prefetch_related("evidence"))
    for p in progress:
        # the rule of access.may_read_evidence, for files attached to this item's progress
        p.files = [(f, reads_all or (own is not None and own.pk in (f.unit_id, item.lead_unit_id)))
                   for f in p.evidence.all()]
    letters = item.letters.select_related("unit", "entry", "sent_by__profile")
    if not reads_all:
        letters = letters.filter(unit=own)
    may_report = access.may_change_item(user, item)
    parent = access.items_for(user).filter(pk=item.parent_id).first() if item.parent_id else None
    ctx = {"item": item, "state": state, "today": day, "at_risk_days": AT_RISK_DAYS, "at_risk_percent": AT_RISK_PERCENT,
           "units": list(item.responsible_units.order_by("code")), "milestones": milestones, "progress": progress,
           "verifications": item.verifications.select_related("verified_by__profile"), "letters": list(letters),
           "children": _children(request, item, day), "parent": parent, "rows": _history(request, item),
           "office": office, "reads_all": reads_all,
           "may_report": may_report and item.status != Item.Status.CLOSED,
           "may_complete": (office or may_report) and item.status in (Item.Status.OPEN, Item.Status.REOPENED),
           "complete_form": forms.get("complete_form") or CompleteForm(),
           "close_form": forms.get("close_form") or CloseForm(),
           "reopen_form": forms.get("reopen_form") or ReopenForm()}
    return render(request, "supervision/item_detail.html", ctx)


def _item_fields(d: dict) -> dict:
    keys = ("title", "source", "source_ref", "description", "lead_leader", "responsible_leader", "lead_unit",
            "responsible_units", "deadline", "report_interval", "cycle", "indicator", "milestones")
    return {k: d[k] for k in keys}


@login_required
@require_http_methods(["GET", "POST"])
def item_new(request: HttpRequest) -> HttpResponse:
    access.require_office(request.user)
    year = gates.today().year
    cycle = year_cycle(year)
    form = ItemForm(request.POST or None, initial={"year": year, "code": suggested_code(year), "cycle": cycle,
                                                   "report_interval": Item.Interval.MONTHLY})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            item = svc.create_item(by=request.user, year=d["year"], code=d["code"], **_item_fields(d))
        except svc.SupervisionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已立项：%(code)s %(title)s。") % {"code": item.code, "title": item.title})
            return redirect("supervision_item", pk=item.pk)
    return render(request, "supervision/item_form.html", {"form": form, "item": None, "leaders": _leaders()})


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _office_item(request, pk)
    initial = {"title": item.title, "source": item.source, "source_ref": item.source_ref,
               "description": item.description, "lead_leader": item.lead_leader,
               "responsible_leader": item.responsible_leader, "lead_unit": item.lead_unit,
               "responsible_units": list(item.responsible_units.all()), "deadline": item.deadline,
               "report_interval": item.report_interval, "cycle": item.cycle, "indicator": item.indicator_id,
               "milestones": milestone_lines(item)}
    form = ItemForm(request.POST or None, item=item, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            svc.update_item(by=request.user, item=item, reason=d["reason"], **_item_fields(d))
        except svc.SupervisionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已保存 %(code)s。") % {"code": item.code})
            return redirect("supervision_item", pk=item.pk)
    return render(request, "supervision/item_form.html", {"form": form, "item": item, "leaders": _leaders()})


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(access.items_for(request.user).select_related("indicator", "parent"), pk=pk)
    return _detail(request, item)


@login_required
@require_http_methods(["GET", "POST"])
def item_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """A responsible unit reports progress with its evidence; the office and leaders read it on the item's page."""
    item = access.get_item_for_user(request.user, pk)
    if not access.may_change_item(request.user, item):
        raise PermissionDenied
    form = ProgressForm(request.POST or None, request.FILES or None, item=item)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            svc.report_progress(by=request.user, item=item, text=d["text"], percent=d["percent"],
                                milestone=d["milestone"], milestone_done=d["milestone_done"],
                                uploads=d.get("files") or [])
        except (svc.SupervisionRefused, EvidenceRefused) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已报送进展。"))
            return redirect("supervision_item", pk=item.pk)
    latest = item.latest_progress()
    return render(request, "supervision/item_progress.html", {"item": item, "form": form, "latest": latest})


@login_required
@require_POST
def item_complete(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_item_for_user(request.user, pk)
    if not (access.is_office(request.user) or access.may_change_item(request.user, item)):
        raise PermissionDenied
    form = CompleteForm(request.POST)
    form.is_valid()
    try:
        svc.mark_completed(by=request.user, item=item, text=form.cleaned_data.get("text", ""))
    except svc.SupervisionRefused as exc:
        form.add_error(None, str(exc))
        return _detail(request, item, complete_form=form)
    messages.success(request, _("已申请办结，待督查办核验销号。"))
    return redirect("supervision_item", pk=item.pk)


@login_required
@require_POST
def item_close(request: HttpRequest, pk: int) -> HttpResponse:
    item = _office_item(request, pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            svc.close_item(by=request.user, item=item, verification=form.cleaned_data["verification"],
                           on_site=form.cleaned_data["on_site"])
        except svc.SupervisionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已核验销号。"))
            return redirect("supervision_item", pk=item.pk)
    return _detail(request, item, close_form=form)


@login_required
@require_POST
def item_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    item = _office_item(request, pk)
    form = ReopenForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            svc.reopen_item(by=request.user, item=item, verification=d["verification"], on_site=d["on_site"],
                            deadline=d["deadline"])
        except svc.SupervisionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("回头看发现问题反弹，已退回重新整改。"))
            return redirect("supervision_item", pk=item.pk)
    return _detail(request, item, reopen_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def item_decompose(request: HttpRequest, pk: int) -> HttpResponse:
    item = _office_item(request, pk)
    form = DecomposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            subs = svc.decompose_item(by=request.user, item=item, units=form.cleaned_data["units"],
                                      title=form.cleaned_data["title"])
        except svc.SupervisionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已分解为 %(n)d 项子事项：%(codes)s。")
                             % {"n": len(subs), "codes": "、".join(s.code for s in subs)})
            return redirect("supervision_item", pk=item.pk)
    return render(request, "supervision/item_decompose.html", {"item": item, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def letter_new(request: HttpRequest, pk: int) -> HttpResponse:
    """A letter (督办函, notice, interview) to one of the item's units: numbered, printed, its points registered."""
    item = _office_item(request, pk)
    unit_ids = {item.lead_unit_id, *item.responsible_units.values_list("pk", flat=True)}
    choices = Unit.objects.filter(pk__in=unit_ids).order_by("code")
    form = LetterForm(request.POST or None, unit_choices=choices,
                      initial={"kind": Letter.Kind.REMINDER_LETTER,
                               "failing": Letter.Failing.OVERDUE if item.deadline < gates.today()
                               else Letter.Failing.LAGGING,
                               "unit": choices.first() if len(unit_ids) == 1 else None})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            letter = svc.send_letter(by=request.user, item=item, unit=d["unit"], kind=d["kind"], failing=d["failing"],
                                     points=d["points"], text=d["text"])
        except (svc.SupervisionRefused, EntryRefused) as exc:
            form.add_error(None, str(exc))
        else:
            if letter.entry_id:
                messages.success(request, _("已发出%(kind)s %(number)s，扣 %(p)s 分已计入加减分登记。")
                                 % {"kind": letter.get_kind_display(), "number": letter.number,
                                    "p": f"{letter.points:g}"})
            else:
                messages.success(request, _("已发出%(kind)s %(number)s。")
                                 % {"kind": letter.get_kind_display(), "number": letter.number})
            return redirect(reverse("supervision_item", kwargs={"pk": item.pk}) + "#letters")
    return render(request, "supervision/letter_form.html", {"item": item, "form": form})


@login_required
def letter_pdf(request: HttpRequest, pk: int) -> FileResponse:
    """The letter as printed: the office, leaders and the unit it was sent to; to anyone else it is missing."""
    letter = access.get_letter_for_user(request.user, pk)
    if not letter.pdf:
        raise Http404
    try:
        f = letter.pdf.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    resp = FileResponse(f, content_type="application/pdf", as_attachment=True, filename=f"{letter.number}.pdf")
    resp["Cache-Control"] = "private, no-store"
    return resp


@login_required
@require_http_methods(["GET", "POST"])
def item_import(request: HttpRequest) -> HttpResponse:
    """Items from an Excel list: all or nothing; every problem listed by row and column."""
    access.require_office(request.user)
    year = gates.today().year
    form = ImportForm(request.POST or None, request.FILES or None, initial={"year": year, "cycle": year_cycle(year)})
    problems: list = []
    created: list[Item] = []
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            created = svc.import_items(by=request.user, year=d["year"], cycle=d["cycle"], file_bytes=d["file"].read())
        except svc.ItemSheetInvalid as exc:
            problems = exc.problems
            messages.error(request, _("导入未执行：发现 %(n)d 个问题，请改正后重新上传。") % {"n": len(problems)})
        except svc.SupervisionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已导入 %(n)d 项督办事项。") % {"n": len(created)})
    ctx = {"form": form, "problems": problems, "created": created, "headers": svc.SHEET_HEADERS,
           "required": svc.REQUIRED_HEADERS}
    return render(request, "supervision/import.html", ctx)


@login_required
def item_template(request: HttpRequest) -> HttpResponse:
    access.require_office(request.user)
    buf = BytesIO()
    svc.write_item_template(buf)
    return xlsx_response(buf.getvalue(), "supervision-items-template.xlsx")
