"""Invitations (邀请码): the printed sheet (a link and a QR code per code, 12 to an A4 page) and the SMS list
(parsed and checked line by line; invitations created, then sent through the pluggable sender).

QR codes are drawn by qrcode's SVG factory and laid inline into the WeasyPrint page: no image library, no files.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from io import BytesIO

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from kaohe.lib.sheets import SheetProblem
from kaohe.workbook.cells import cell_text

from . import services
from .masking import mask
from .models import Group, Survey
from .sms import SmsFailed, load_sender

PER_PAGE = 12  # 3 across, 4 down on A4
SHEET_MAX = 360  # codes on one printed sheet (30 pages, some seconds to lay out): print each batch as it is made
SMS_MAX = 20_000  # numbers in one upload
_MOBILE = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")
_SEPARATORS = re.compile(r"[\s\-()（）]")


def qr_svg(url: str) -> str:
    """The link as an inline SVG QR code (medium error correction: a sheet may be creased or smudged)."""
    import qrcode

    img = qrcode.make(url, image_factory=_runs_image(), border=1, error_correction=qrcode.constants.ERROR_CORRECT_M)
    # the factory names its path "qr-path": twelve to a page, the id would repeat
    return img.to_string(encoding="unicode").replace(' id="qr-path"', "")


def _runs_image():
    from qrcode.image.svg import SvgPathImage

    class RunsPathImage(SvgPathImage):
        """qrcode's one-path SVG, with one subpath per horizontal run of dark modules instead of one per module:
        a third of the path, and WeasyPrint lays out a sheet several times faster."""

        def process(self) -> None:
            runs, b = [], self.border
            for y, row in enumerate(self.modules):
                x, n = 0, len(row)
                while x < n:
                    if not row[x]:
                        x += 1
                        continue
                    start = x
                    while x < n and row[x]:
                        x += 1
                    runs.append(f"M{start + b},{y + b}h{x - start}v1h{start - x}z")
            self._subpaths = runs
            super().process()

    return RunsPathImage


def counts_by_group(survey: Survey) -> list[Group]:
    """The survey's groups, each with its invitations: total, used and unused (one query)."""
    groups = list(survey.groups.annotate(tokens_total=Count("tokens"),
                                         tokens_used=Count("tokens", filter=Q(tokens__used_at__isnull=False)))
                  .order_by("pk"))
    for g in groups:
        g.unused = g.tokens_total - g.tokens_used
    return groups


def unused_codes(group: Group, newest: int | None = None) -> list[str]:
    """Unused codes of a group for printing, the newest first; at most `newest`, never more than SHEET_MAX."""
    limit = min(newest or SHEET_MAX, SHEET_MAX)
    return list(group.tokens.filter(used_at__isnull=True).order_by("-created_at", "-pk")
                .values_list("code", flat=True)[:limit])


def sheet_pages(codes: Iterable[str], link: Callable[[str], str]) -> list[list[list[dict]]]:
    """Pages of 4 rows of 3 invitations, each with its code, absolute link and QR code."""
    cards = [{"code": c, "url": link(c), "qr": qr_svg(link(c))} for c in codes]
    pages = [cards[i:i + PER_PAGE] for i in range(0, len(cards), PER_PAGE)]
    return [[page[r:r + 3] for r in range(0, len(page), 3)] for page in pages]


# ---- SMS ----------------------------------------------------------------------------------------------------


class PhonesInvalid(Exception):
    def __init__(self, problems: list[SheetProblem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the phone list")
        self.problems = problems


def lines_of_text(text: str) -> list[tuple[int, str]]:
    return [(n, line) for n, line in enumerate(text.splitlines(), start=1)]


def lines_of_upload(name: str, data: bytes) -> list[tuple[int, str]]:
    """(row or line number, text) of an uploaded list: .xlsx → the first column of the first sheet; anything
    else is text, UTF-8 (with or without BOM) or GB18030 (what Excel on Chinese Windows saves)."""
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(BytesIO(data), read_only=True, data_only=True)
        except Exception:
            raise PhonesInvalid([SheetProblem(None, None, _("文件不是可读取的 Excel 工作簿 (.xlsx)"))]) from None
        try:
            return [(n, cell_text(row[0]) if row else "")
                    for n, row in enumerate(book.worksheets[0].iter_rows(values_only=True, max_col=1), start=1)]
        finally:
            book.close()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return lines_of_text(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise PhonesInvalid([SheetProblem(None, None, _("无法识别文件编码，请保存为 UTF-8 文本或 .xlsx"))])


def parse_phones(lines: Iterable[tuple[int, str]]) -> list[str]:
    """The mobile numbers (11 digits) of the list, in order; blank lines skipped, a header line ("手机号" or any
    line without a digit on the first line) allowed. Raises PhonesInvalid with every bad or repeated line."""
    phones: list[str] = []
    seen: dict[str, int] = {}
    problems: list[SheetProblem] = []
    column = _("手机号码")
    for n, raw in lines:
        text = _SEPARATORS.sub("", raw or "")
        if not text or (n == 1 and not any(ch.isdigit() for ch in text)):
            continue
        m = _MOBILE.match(text)
        if m is None:
            problems.append(SheetProblem(n, column, _("“%(v)s”不是有效的手机号码（11 位，以 1 开头）") % {"v": raw.strip()[:40]}))
            continue
        phone = m.group(1)
        if phone in seen:
            problems.append(SheetProblem(n, column, _("与第 %(n)d 行重复") % {"n": seen[phone]}))
            continue
        seen[phone] = n
        phones.append(phone)
    if not phones and not problems:
        problems.append(SheetProblem(None, column, _("名单中没有手机号码")))
    if len(phones) > SMS_MAX:
        problems.append(SheetProblem(None, column, _("一次最多发送 %(n)d 个号码") % {"n": SMS_MAX}))
    if problems:
        raise PhonesInvalid(problems)
    return phones


@dataclass
class SmsResult:
    sent: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (masked phone, reason)


def invitation_text(survey: Survey, office: str, url: str) -> str:
    return _("【%(office)s】您好！诚邀您参加“%(title)s”，请点击链接作答（每个链接只能作答一次）：%(url)s") % {
        "office": office, "title": survey.title, "url": url}


def send_invitations(*, by, survey: Survey, group: Group, phones: list[str], link: Callable[[str], str],
                     office: str) -> SmsResult:
    """One invitation per number (the masked number kept on it), then one message each through the configured
    sender. The invitations are committed first: a gateway refusing a message does not undo the others."""
    tokens = services.make_tokens(by=by, survey=survey, group=group, n=len(phones), sent_to=[mask(p) for p in phones])
    sender, result = load_sender(), SmsResult()
    for phone, token in zip(phones, tokens, strict=True):
        try:
            sender.send(phone, invitation_text(survey, office, link(token.code)))
        except SmsFailed as e:
            result.failed.append((mask(phone), str(e)))
        else:
            result.sent += 1
    return result
