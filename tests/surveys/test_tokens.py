"""The office's invitations: codes per group, the printed sheet with QR codes, invitations by SMS through the
pluggable sender (never the network in tests)."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse

from kaohe.surveys import services as svc
from kaohe.surveys import tokens
from kaohe.surveys.models import Token

SENT: list[tuple[str, str]] = []


class RecordingSender:
    """Keeps what would have been sent; refuses one number to show a gateway's refusal."""

    def send(self, phone: str, text: str) -> None:
        from kaohe.surveys.sms import SmsFailed

        if phone == "13900000000":
            raise SmsFailed("空号")
        SENT.append((phone, text))


@pytest.fixture
def sender(settings):
    settings.KAOHE_SMS_SENDER = "tests.surveys.test_tokens.RecordingSender"
    SENT.clear()
    return SENT


def _url(name: str, sw, **extra) -> str:
    return reverse(name, kwargs={"cycle": sw.scycle.pk, "pk": sw.survey.pk, **extra})


def test_the_office_makes_codes_for_a_group_and_sees_used_and_unused(sw, client) -> None:
    client.force_login(sw.office)
    resp = client.post(_url("survey_tokens", sw), {"group": sw.public.pk, "n": 5})
    assert resp.status_code == 302
    assert sw.public.tokens.count() == 5
    code = sw.public.tokens.first().code
    client.post(reverse("survey_answer", args=[code]), {f"a{sw.question.pk}_{sw.units['U1'].pk}": "satisfied"})
    page = client.get(_url("survey_tokens", sw)).content.decode()
    assert "已为“群众”生成 5 个邀请码" in page
    row = page.split("群众 <span")[1].split("</tr>")[0]
    assert [c.split(">")[-1] for c in row.split("</td>")[2:5]] == ["5", "1", "4"]
    assert sw.survey.open_slug in page  # the open link's address


def test_a_wrong_number_of_codes_is_a_form_error(sw, client) -> None:
    client.force_login(sw.office)
    resp = client.post(_url("survey_tokens", sw), {"group": sw.public.pk, "n": 0})
    assert resp.status_code == 200 and not Token.objects.exists()


def test_the_sheet_prints_only_unused_codes_the_newest_first_with_a_qr_code_each(sw, client, monkeypatch) -> None:
    made = svc.make_tokens(by=sw.office, survey=sw.survey, group=sw.public, n=14)
    svc.submit(survey=sw.survey, group=sw.public, token=made[0], answers=[(sw.question, sw.units["U1"], "satisfied")])
    seen = {}

    def fake_pdf(template, ctx, request=None):
        seen.update(ctx)
        return b"%PDF-1.7 test"

    monkeypatch.setattr("kaohe.surveys.views_public.render_pdf", fake_pdf)
    client.force_login(sw.office)
    resp = client.get(_url("survey_tokens_pdf", sw, group=sw.public.pk))
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    cards = [c for page in seen["pages"] for r in page for c in r]
    assert seen["count"] == 13 and len(seen["pages"]) == 2 and len(seen["pages"][0]) == 4
    assert made[0].code not in {c["code"] for c in cards}
    assert cards[0]["url"] == f"http://testserver/s/{cards[0]['code']}/"
    assert cards[0]["qr"].startswith("<svg") and "<path" in cards[0]["qr"]
    client.get(_url("survey_tokens_pdf", sw, group=sw.public.pk) + "?newest=3")
    assert seen["count"] == 3


def test_the_sheet_is_a_real_pdf(sw, client) -> None:
    svc.make_tokens(by=sw.office, survey=sw.survey, group=sw.public, n=2)
    client.force_login(sw.office)
    resp = client.get(_url("survey_tokens_pdf", sw, group=sw.public.pk))
    data = b"".join(resp.streaming_content)
    assert data.startswith(b"%PDF") and len(data) > 2000


def test_no_unused_code_to_print_goes_back_with_a_message(sw, client) -> None:
    client.force_login(sw.office)
    resp = client.get(_url("survey_tokens_pdf", sw, group=sw.web.pk), follow=True)
    assert "没有未使用的邀请码" in resp.content.decode()


def test_sms_invitations_one_code_each_masked_number_kept(sw, client, sender) -> None:
    client.force_login(sw.office)
    resp = client.post(_url("survey_sms", sw), {"group": sw.public.pk,
                                                "phones": "手机号\n138 1234 5678\n\n+86-139-0000-0000\n15012345678\n"})
    assert resp.status_code == 302
    assert sorted(Token.objects.values_list("sent_to", flat=True)) == ["138****5678", "139****0000", "150****5678"]
    assert [p for p, _t in sender] == ["13812345678", "15012345678"]
    code = Token.objects.get(sent_to="138****5678").code
    assert f"http://testserver/s/{code}/" in sender[0][1] and sw.survey.title in sender[0][1]
    page = client.get(resp.url).content.decode()
    assert "已向 2 个号码发送" in page and "139****0000 空号" in page
    assert "13900000000" not in page


def test_a_bad_phone_list_sends_nothing_and_names_each_line(sw, client, sender) -> None:
    client.force_login(sw.office)
    resp = client.post(_url("survey_sms", sw), {"group": sw.public.pk,
                                                "phones": "13812345678\n1381234567\n13812345678\nabc\n"})
    assert resp.status_code == 200
    problems = [(p.row, p.message) for p in resp.context["problems"]]
    assert problems == [(2, "“1381234567”不是有效的手机号码（11 位，以 1 开头）"), (3, "与第 1 行重复"),
                        (4, "“abc”不是有效的手机号码（11 位，以 1 开头）")]
    assert not Token.objects.exists() and not sender


def test_an_xlsx_phone_list_reads_the_first_column(sw, client, sender) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for value in ("手机号码", 13812345678, "150-1234-5678"):
        sheet.append([value, "备注"])
    buf = BytesIO()
    book.save(buf)
    buf.seek(0)
    buf.name = "名单.xlsx"
    client.force_login(sw.office)
    resp = client.post(_url("survey_sms", sw), {"group": sw.public.pk, "file": buf})
    assert resp.status_code == 302
    assert [p for p, _t in sender] == ["13812345678", "15012345678"]


def test_a_text_file_saved_by_chinese_excel_is_read() -> None:
    data = "手机号\r\n13812345678\r\n".encode("gb18030")
    assert tokens.parse_phones(tokens.lines_of_upload("名单.txt", data)) == ["13812345678"]


def test_the_default_sender_only_logs_a_masked_number(caplog) -> None:
    import logging

    from kaohe.surveys.sms import load_sender

    with caplog.at_level(logging.INFO, logger="kaohe.sms"):
        load_sender().send("13812345678", "测试")
    assert "138****5678" in caplog.text and "13812345678" not in caplog.text


def test_the_qr_code_draws_exactly_the_modules_of_the_link() -> None:
    import re

    import qrcode

    url = "https://kaohe.example.gov.cn/s/AbCdEfGhIjKlMnOpQrStUv/"
    qr = qrcode.QRCode(border=1, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(url)
    qr.make(fit=True)
    want = {(x, y) for y, row in enumerate(qr.get_matrix()) for x, dark in enumerate(row) if dark}
    drawn = {(x0 + i, y) for x0, y, n in ((int(a), int(b), int(c)) for a, b, c in
                                           re.findall(r"M(\d+),(\d+)h(\d+)v1h-\d+z", tokens.qr_svg(url)))
             for i in range(n)}
    assert drawn == want
