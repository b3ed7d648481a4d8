"""Units: the list grouped by domain and category, import from and export to Excel."""

from __future__ import annotations

from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kaohe.lib.downloads import xlsx_response
from kaohe.web import access

from . import selectors, services
from .forms import PersonForm, UnitForm, UploadForm
from .models import Domain, Profile, Unit



def _require_reader(request: HttpRequest) -> None:
    if not access.reads_everything(request.user):
        raise PermissionDenied


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    groups = selectors.units_grouped()
    ctx = {"groups": groups, "total": sum(g.count for g in groups)}
    return render(request, "organisation/unit_list.html", ctx)


@login_required
def unit_import(request: HttpRequest) -> HttpResponse:
    access.require_office(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    problems: list[services.SheetProblem] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = services.read_unit_sheet(upload.read())
            counts = services.import_units(by=request.user, rows=rows, source=upload.name)
        except services.UnitSheetInvalid as exc:
            problems = exc.problems
            messages.error(request, _("导入未执行：发现 %(n)d 个问题，请改正后重新上传。") % {"n": len(problems)})
        else:
            messages.success(request, _("已导入 %(rows)d 行：新增 %(created)d 个单位，更新 %(updated)d 个。") % counts)
            return redirect("unit_list")
    ctx = {"form": form, "problems": problems, "headers": selectors.EXPORT_HEADERS}
    return render(request, "organisation/unit_import.html", ctx)


@login_required
def unit_export(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    buf = BytesIO()
    services.write_unit_sheet(buf)
    return xlsx_response(buf.getvalue(), f"units-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_office(request.user)
    unit = get_object_or_404(Unit.objects.select_related("domain", "category", "parent"), pk=pk)
    form = UnitForm(request.POST or None, unit=unit, initial=UnitForm.initial_from(unit))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "reason"}
        if services.update_unit(by=request.user, unit=unit, data=data, reason=form.cleaned_data["reason"]):
            messages.success(request, _("已保存单位 %(name)s。") % {"name": unit.name})
        else:
            messages.info(request, _("没有修改。"))
        return redirect("unit_list")
    return render(request, "organisation/unit_edit.html", {"unit": unit, "form": form})


@login_required
def people_list(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    people = Profile.objects.select_related("user", "unit").order_by("role", "unit__code", "name")
    return render(request, "organisation/people_list.html", {"people": people})


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    access.require_office(request.user)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            person = services.create_person(by=request.user, username=d["username"], password=d["password"],
                                            name=d["name"], role=d["role"], unit=d["unit"], post=d["post"],
                                            phone=d["phone"], email=d["email"])
        except services.PersonInvalid as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已添加 %(name)s，登录名 %(u)s。") % {"name": person.name, "u": person.user.username})
            return redirect("people_list")
    return render(request, "organisation/person_edit.html", {"form": form, "person": None})


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_office(request.user)
    person = get_object_or_404(Profile.objects.select_related("user", "unit"), pk=pk)
    form = PersonForm(request.POST or None, person=person, initial=PersonForm.initial_from(person))
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        password, reason = d.pop("password"), d.pop("reason")
        try:
            changed = services.update_person(by=request.user, person=person, data=d, password=password, reason=reason)
        except services.PersonInvalid as exc:
            form.add_error(None, str(exc))
        else:
            if changed:
                messages.success(request, _("已保存 %(name)s。") % {"name": person.name})
            else:
                messages.info(request, _("没有修改。"))
            return redirect("people_list")
    return render(request, "organisation/person_edit.html", {"form": form, "person": person})


@login_required
@require_http_methods(["GET", "POST"])
def domain_names(request: HttpRequest) -> HttpResponse:
    """Domains and categories arrive from imports under their codes; here they get the names people read."""
    access.require_office(request.user)
    domains = list(Domain.objects.prefetch_related("categories"))
    errors: list[str] = []
    if request.method == "POST":
        names, orders, cats = {}, {}, {}
        for d in domains:
            name = request.POST.get(f"name-{d.pk}", "").strip()
            order = request.POST.get(f"order-{d.pk}", "").strip()
            if not name or len(name) > 80:
                errors.append(_("领域 %(c)s：名称不能为空，也不能超过 80 个字") % {"c": d.code})
            else:
                names[d.code] = name
            if not order.isdigit():
                errors.append(_("领域 %(c)s：排序应为不小于 0 的整数") % {"c": d.code})
            else:
                orders[d.code] = int(order)
            for c in d.categories.all():
                cname = request.POST.get(f"cat-{c.pk}", "").strip()
                if not cname or len(cname) > 80:
                    errors.append(_("类别 %(c)s：名称不能为空，也不能超过 80 个字") % {"c": c.code})
                else:
                    cats[c.pk] = cname
        if not errors:
            n = services.rename_domains(by=request.user, names=names, orders=orders, category_names=cats)
            if n:
                messages.success(request, _("已保存 %(n)d 处修改。") % {"n": n})
            else:
                messages.info(request, _("没有修改。"))
            return redirect("domain_names")
    return render(request, "organisation/domain_names.html", {"domains": domains, "errors": errors})
