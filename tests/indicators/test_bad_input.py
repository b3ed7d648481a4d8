"""Bad input is answered with a form error or a 4xx, never a 500."""

from __future__ import annotations

from io import BytesIO

import pytest

from tests.conftest import password

GARBAGE = {"year": "x", "name": "", "points": "nan", "method": "nope", "parent": "999999", "lead_unit": "abc",
           "p-cap": "1e999", "p-bands": "a,b,c", "p-trim_min": "2.5", "launch_starts": "2026-13-01",
           "g-TOTAL_FORMS": "x", "action": "upload", "text": "\t\t\t", "reason": "r" * 400}


@pytest.mark.parametrize("path", [
    "/cycles/new/", "/cycles/{c}/copy/", "/cycles/{c}/phases/", "/cycles/{c}/settings/",
    "/cycles/{c}/indicators/add/", "/cycles/{c}/indicators/{a1}/edit/", "/cycles/{c}/indicators/{a1}/delete/",
    "/cycles/{c}/import/", "/cycles/{c}/values/{a1}/", "/org/units/import/", "/org/units/{u1}/edit/",
])
def test_garbage_posts_are_answered_without_a_server_error(client, world, path):
    assert client.login(username="office", password=password("office"))
    url = path.format(c=world.cycle.pk, a1=world.cycle.indicators.get(code="A1").pk, u1=world.unit1.pk)
    resp = client.post(url, GARBAGE)
    assert resp.status_code < 500
    f = BytesIO(b"PK\x03\x04 not really a zip")
    f.name = "x.xlsx"
    assert client.post(url, {**GARBAGE, "file": f}).status_code < 500


def test_params_partial_ignores_an_unknown_method(client, world):
    assert client.login(username="office", password=password("office"))
    resp = client.get(f"/cycles/{world.cycle.pk}/indicators/params/?method=<script>&pk=x")
    assert resp.status_code == 200 and "<script>" not in resp.content.decode()
