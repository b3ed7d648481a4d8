"""The pages of /s/: the public's answering page (by one-time code or open link), and the office's invitations
(codes per group, the printed sheet with QR codes, invitations by SMS).

The answering page is plain HTML with a little inline CSS and no JavaScript: it must open on any phone, fast.
It is rendered without the staff pages' context processors (no user, no session read or written), and the
survey's design is kept per process, refreshed whenever the survey's latest audited change differs, so a page
costs one query to show and a handful to submit.
"""

from __future__ import annotations

import ipaddress
import re
import secrets
import threading
from io import BytesIO

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import CharField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Cast
from django.http import FileResponse, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from kaohe.audit.models import AuditEntry
from kaohe.indicators.models import Cycle
from kaohe.lib.pdf import render_pdf
from kaohe.organisation.models import Unit
from kaohe.web import access

from . import services, tokens
from .forms_public import AnswerForm, DesignQuestion, SmsForm, TokensForm, quick_clean
from .models import CHOICE_LABELS, Group, Question, Survey, Token

DEVICE_COOKIE = "kh_survey_device"
DEVICE_MAX_AGE = 2 * 365 * 24 * 3600
_DEVICE = re.compile(r"^[A-Za-z0-9_-]{16,32}$")
# no script may run, nothing is fetched from elsewhere, the form posts only here
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'"

# the survey's latest audited change (design, status, tokens…): the design cached below is kept while it is the same
def _version(survey_ref: str) -> Subquery:
    return Subquery(AuditEntry.objects.filter(object_type="surveys.Survey",
                                              object_id=Cast(OuterRef(survey_ref), CharField()))
                    .order_by("-pk").values("hash")[:1])


_DESIGNS: dict[tuple[int, int], tuple[str, tuple[DesignQuestion, ...]]] = {}
_DESIGNS_LOCK = threading.Lock()
# the token page's blank form is the same for every code of a group (no CSRF token, it posts to its own address)
_BLANK: dict[tuple[int, int, str, str], str] = {}
_THANKS: dict[tuple[int, str, str], str] = {}


def client_ip(request: HttpRequest) -> str | None:
    """The respondent's address: REMOTE_ADDR, or behind a trusted reverse proxy the last X-Forwarded-For address,
    the one the proxy itself added (nginx's `$proxy_add_x_forwarded_for` appends the address it sees to whatever
    the client sent, `$remote_addr` sends that address alone): a client can put anything before it, not it."""
    addr = request.META.get("REMOTE_ADDR", "")
    if settings.KAOHE_TRUSTED_PROXY:
        addr = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip() or addr
    try:
        return str(ipaddress.ip_address(addr))
    except ValueError:
        return None


def design_of(survey: Survey, group: Group, version: str | None) -> tuple[DesignQuestion, ...]:
    """The questions the group answers with the units each rates (two queries, then from the per-process cache
    while the survey's version stays the same)."""
    key = (survey.pk, group.pk)
    hit = _DESIGNS.get(key)
    if hit is not None and version is not None and hit[0] == version:
        return hit[1]
    units = Prefetch("units", queryset=Unit.objects.only("pk", "code", "name").order_by("code"))
    design = tuple(DesignQuestion(q, tuple(q.units.all())) for q in
                   Question.objects.filter(survey_id=survey.pk, groups=group.pk).order_by("order", "pk")
                   .prefetch_related(units))
    if version is not None:
        with _DESIGNS_LOCK:
            if len(_DESIGNS) > 500:  # surveys are few; a long-running process forgets the closed ones
                _DESIGNS.clear()
                _BLANK.clear()
                _THANKS.clear()
            _DESIGNS[key] = (version, design)
    return design


def _page(template: str, ctx: dict, status: int = 200, html: str | None = None) -> HttpResponse:
    resp = HttpResponse(html if html is not None else render_to_string(f"surveys/{template}", ctx), status=status)
    resp["Cache-Control"] = "no-store"
    resp["Content-Security-Policy"] = CSP
    resp["Referrer-Policy"] = "no-referrer"  # the link holds the one-time code
    return resp


def _message(status: int, title: str, text: str, survey: Survey | None = None) -> HttpResponse:
    return _page("public_message.html", {"title": title, "text": text, "survey": survey}, status=status)


def _spent(survey: Survey, status: int = 410) -> HttpResponse:
    return _message(status, _("该邀请码已使用"), _("每个邀请码只能作答一次，您的答卷已经提交过了。感谢您的参与！"), survey)


def _answer(request: HttpRequest, *, survey: Survey, group: Group, version: str | None, token: Token | None = None,
            device: str = "", csrf: bool = False, problem: str = "") -> HttpResponse:
    """The form (GET, or a POST with errors: answers kept) or the submission and the thank-you page."""
    if not services.is_open(survey):
        return _message(403, _("测评未在进行中"), _("本次测评尚未开始或已经结束，感谢您的关注。"), survey)
    blank_key = (survey.pk, group.pk, version or "", get_language())
    if request.method == "GET" and not csrf and version is not None and blank_key in _BLANK:
        return _page("public_answer.html", {}, html=_BLANK[blank_key])
    design = design_of(survey, group, version)
    if not design:
        return _message(404, _("没有需要作答的问题"), _("本次测评没有需要您作答的问题。"), survey)
    choices = [(k, CHOICE_LABELS.get(k, k)) for k in services.choices_of(survey.cycle)]
    form = None
    if request.method == "POST" and not problem:
        # an answer sheet the form would accept is taken without building the form; anything else goes to the
        # form, which says what is wrong (tests/surveys/test_public.py checks both give the same answers)
        sheet = quick_clean(design, [k for k, _label in choices], request.POST)
        if sheet is None:
            form = AnswerForm(design, choices, request.POST)
            if form.is_valid():
                sheet = form.answers(), form.comments()
        if sheet is not None:
            try:
                services.submit(survey=survey, group=group, answers=sheet[0], comments=sheet[1], token=token,
                                ip=client_ip(request), device=device)
            except services.SubmissionRefused as e:
                if e.status == 409:
                    return _spent(survey, status=409)
                return _message(e.status, _("未能提交"), str(e), survey)
            return _thanks(survey, version)
    if form is None:
        form = AnswerForm(design, choices, request.POST if request.method == "POST" else None)
    ctx = {"survey": survey, "rows": form.rows(), "choices": choices, "errors": form.non_field_errors(),
           "invalid": form.is_bound and not form.is_valid(), "problem": problem,
           "csrf_token": get_token(request) if csrf else None}
    html = render_to_string("surveys/public_answer.html", ctx)
    if request.method == "GET" and not csrf and version is not None:
        if len(_BLANK) > 500:  # each change of a survey makes a new key: forget the old ones now and then
            _BLANK.clear()
        _BLANK[blank_key] = html
    return _page("public_answer.html", ctx, html=html)


def _thanks(survey: Survey, version: str | None) -> HttpResponse:
    """The thank-you page: the same for every respondent of a survey version, so rendered once per process."""
    key = (survey.pk, version or "", get_language())
    html = _THANKS.get(key) if version is not None else None
    if html is None:
        html = render_to_string("surveys/public_thanks.html", {"survey": survey})
        if version is not None:
            if len(_THANKS) > 500:
                _THANKS.clear()
            _THANKS[key] = html
    return _page("public_thanks.html", {}, html=html)


_CONVERTERS: dict = {}


def _converted(fields, values) -> list:
    """Column values as the ORM would give them (JSON parsed; dates on SQLite); the converters are looked up once."""
    out = []
    for f, v in zip(fields, values):
        found = _CONVERTERS.get((connection.vendor, f))
        if found is None:
            col = f.get_col(f.model._meta.db_table)
            found = _CONVERTERS[connection.vendor, f] = (col, connection.ops.get_db_converters(col) + f.get_db_converters(connection))
        col, convs = found
        for conv in convs:
            v = conv(v, col, connection)
        out.append(v)
    return out


_TOKEN_SQL: str | None = None


def _token_sql() -> str:
    """The code's token with its survey, group, the cycle's settings and the survey's version: one query, written
    out once (the ORM's select_related + subquery cost more to compile than to run)."""
    global _TOKEN_SQL
    if _TOKEN_SQL is None:
        q = connection.ops.quote_name
        cols = ", ".join([f"s.{q(f.column)}" for f in Survey._meta.concrete_fields]
                         + [f"g.{q(f.column)}" for f in Group._meta.concrete_fields])
        audit = AuditEntry._meta.db_table
        _TOKEN_SQL = (
            f"SELECT t.id, t.used_at, {cols}, c.id, c.settings, "
            f"(SELECT a.hash FROM {audit} a WHERE a.object_type = 'surveys.Survey' "
            f"AND a.object_id = CAST(t.survey_id AS VARCHAR(20)) ORDER BY a.id DESC LIMIT 1) "
            f"FROM {Token._meta.db_table} t JOIN {Survey._meta.db_table} s ON s.id = t.survey_id "
            f"JOIN {Group._meta.db_table} g ON g.id = t.group_id JOIN {Cycle._meta.db_table} c ON c.id = s.cycle_id "
            "WHERE t.code = %s")
    return _TOKEN_SQL


def _token(code: str) -> tuple[Token, str | None] | None:
    if connection.vendor == "postgresql":
        row = services.prepared_row(_token_sql(), [code])
    else:
        with connection.cursor() as cur:
            cur.execute(_token_sql(), [code])
            row = cur.fetchone()
    if row is None:
        return None
    sf, gf = Survey._meta.concrete_fields, Group._meta.concrete_fields
    survey = Survey.from_db(connection.alias, [f.attname for f in sf], _converted(sf, row[2:2 + len(sf)]))
    group = Group.from_db(connection.alias, [f.attname for f in gf], _converted(gf, row[2 + len(sf):-3]))
    settings_field = Cycle._meta.get_field("settings")
    survey.cycle = Cycle.from_db(connection.alias, ["id", "settings"], [row[-3], _converted([settings_field],
                                                                                          [row[-2]])[0]])
    group.survey = survey
    used_at = _converted([Token._meta.get_field("used_at")], [row[1]])[0]
    token = Token.from_db(connection.alias, ["id", "survey_id", "group_id", "code", "used_at"],
                          [row[0], survey.pk, group.pk, code, used_at])
    token.survey, token.group = survey, group
    return token, row[-1]


# the one-time code in the link is the nonce: a forged cross-site POST would need it, and whoever holds it may
# answer anyway; so the token page needs no CSRF cookie (some phones' in-app browsers drop cookies)
@csrf_exempt
@require_http_methods(["GET", "POST"])
def survey_answer(request: HttpRequest, code: str) -> HttpResponse:
    found = _token(code)
    if found is None:
        return _message(404, _("链接无效"), _("未找到该邀请码，请核对链接是否完整，或联系发出邀请的单位。"))
    token, version = found
    if token.used_at is not None:
        return _spent(token.survey)
    return _answer(request, survey=token.survey, group=token.group, version=version, token=token)


# The open link keeps CSRF protection: anyone may post to it, so a forged cross-site POST must not be able to
# answer in a visitor's name (and with the visitor's device cookie).
@require_http_methods(["GET", "POST"])
def survey_open(request: HttpRequest, slug: str) -> HttpResponse:
    survey = (Survey.objects.select_related("cycle").annotate(version=_version("pk"))
              .filter(open_slug=slug, open_link=True).first())
    group = survey.groups.filter(channel=Group.Channel.OPEN_LINK).order_by("pk").first() if survey else None
    if group is None:
        return _message(404, _("链接无效"), _("未找到该测评，或本次测评未开放公开链接。"))
    device = request.COOKIES.get(DEVICE_COOKIE, "")
    fresh = not _DEVICE.match(device)
    if fresh:
        device = secrets.token_urlsafe(16)
    # without the device cookie the per-device limit cannot hold: the page comes back, the cookie now set
    problem = _("请允许浏览器保存 Cookie 后再提交。") if fresh and request.method == "POST" else ""
    resp = _answer(request, survey=survey, group=group, version=survey.version, device=device, csrf=True,
                   problem=problem)
    if fresh:
        resp.set_cookie(DEVICE_COOKIE, device, max_age=DEVICE_MAX_AGE, httponly=True, samesite="Lax",
                        secure=settings.SESSION_COOKIE_SECURE)
    return resp


# ---- the office's invitations -------------------------------------------------------------------------------


def _office_survey(request: HttpRequest, cycle: int, pk: int) -> Survey:
    c = access.get_cycle_for_user(request.user, cycle)
    access.require_office(request.user)
    return access.get_survey_for_user(request.user, c, pk)


def _link(request: HttpRequest):
    return lambda code: request.build_absolute_uri(reverse("survey_answer", args=[code]))


@login_required
@require_http_methods(["GET", "POST"])
def survey_tokens(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    """Codes per group (used and unused), a form to make more, the printed sheets."""
    survey = _office_survey(request, cycle, pk)
    form = TokensForm(survey, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        group, n = form.cleaned_data["group"], form.cleaned_data["n"]
        try:
            services.make_tokens(by=request.user, survey=survey, group=group, n=n)
        except services.SurveyRefused as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("已为“%(g)s”生成 %(n)d 个邀请码。") % {"g": group.name, "n": n})
            return redirect("survey_tokens", survey.cycle_id, survey.pk)
    ctx = {"cycle": survey.cycle, "survey": survey, "form": form, "groups": tokens.counts_by_group(survey),
           "sheet_max": tokens.SHEET_MAX, "per_page": tokens.PER_PAGE, "is_open": services.is_open(survey),
           "open_url": request.build_absolute_uri(reverse("survey_open", args=[survey.open_slug]))}
    return render(request, "surveys/tokens.html", ctx)


@login_required
@require_GET
def survey_tokens_pdf(request: HttpRequest, cycle: int, pk: int, group: int) -> HttpResponse:
    """The printable invitations of a group's unused codes (?newest=N: only the N newest)."""
    survey = _office_survey(request, cycle, pk)
    g = get_object_or_404(survey.groups, pk=group)
    newest = request.GET.get("newest", "")
    codes = tokens.unused_codes(g, int(newest) if newest.isdigit() and int(newest) > 0 else None)
    if not codes:
        messages.warning(request, _("“%(g)s”没有未使用的邀请码，请先生成。") % {"g": g.name})
        return redirect("survey_tokens", survey.cycle_id, survey.pk)
    pdf = render_pdf("surveys/tokens_sheet.html", {"survey": survey, "group": g, "count": len(codes),
                                                   "pages": tokens.sheet_pages(codes, _link(request))}, request)
    return FileResponse(BytesIO(pdf), as_attachment=True, filename=f"{survey.title}-{g.name}-邀请码.pdf",
                        content_type="application/pdf")


@login_required
@require_http_methods(["GET", "POST"])
def survey_sms(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    """Invitations by SMS: a list of numbers, checked line by line (nothing is sent while one is wrong)."""
    survey = _office_survey(request, cycle, pk)
    post = request.method == "POST"
    form = SmsForm(survey, request.POST if post else None, request.FILES if post else None)
    problems = []
    if post and form.is_valid():
        d = form.cleaned_data
        try:
            lines = (tokens.lines_of_upload(d["file"].name, d["file"].read()) if d["file"]
                     else tokens.lines_of_text(d["phones"]))
            phones = tokens.parse_phones(lines)
        except tokens.PhonesInvalid as e:
            problems = e.problems
        else:
            try:
                result = tokens.send_invitations(by=request.user, survey=survey, group=d["group"], phones=phones,
                                                 link=_link(request), office=settings.KAOHE_OFFICE_NAME)
            except services.SurveyRefused as e:
                form.add_error(None, str(e))
            else:
                messages.success(request, _("已向 %(n)d 个号码发送邀请短信。") % {"n": result.sent})
                if result.failed:
                    messages.warning(request, _("%(n)d 条短信未能发送（邀请码已生成，可打印后另行送达）：%(list)s") % {
                        "n": len(result.failed), "list": "；".join(f"{p} {r}" for p, r in result.failed[:20])})
                return redirect("survey_tokens", survey.cycle_id, survey.pk)
    ctx = {"cycle": survey.cycle, "survey": survey, "form": form, "problems": problems,
           "is_open": services.is_open(survey), "sms_max": tokens.SMS_MAX,
           "example": tokens.invitation_text(survey, settings.KAOHE_OFFICE_NAME,
                                             request.build_absolute_uri(reverse("survey_answer", args=["…"])))}
    return render(request, "surveys/tokens_sms.html", ctx)
