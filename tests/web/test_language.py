"""Chinese first, English on request: the set_language form switches the login and home pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.conftest import password

pytestmark = pytest.mark.django_db


def switch_to_english(client, next_url: str):
    return client.post(reverse("set_language"), {"language": "en", "next": next_url}, follow=True)


def test_the_login_page_is_chinese_by_default(client):
    page = client.get(reverse("login")).content.decode()
    assert "登录考核平台" in page and "用户名" in page
    assert '<html lang="zh-hans">' in page


def test_switching_to_english_shows_english_labels_on_the_login_page(client):
    page = switch_to_english(client, reverse("login")).content.decode()
    assert '<html lang="en">' in page
    assert "Log in to Kaohe" in page and "Username" in page and "Password" in page
    assert "登录考核平台" not in page


def test_switching_to_english_shows_english_labels_on_the_home_page(client, world):
    client.login(username="office", password=password("office"))
    page = switch_to_english(client, reverse("home")).content.decode()
    assert "Assessment cycles" in page and "New cycle" in page and "Log out" in page
    assert "新建考核周期" not in page


def test_switching_back_to_chinese_restores_the_chinese_labels(client):
    switch_to_english(client, reverse("login"))
    page = client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("login")},
                       follow=True).content.decode()
    assert "登录考核平台" in page


def test_every_english_message_is_translated():
    po = Path(__file__).resolve().parents[2] / "kaohe" / "locale" / "en" / "LC_MESSAGES" / "django.po"
    text = po.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]
    untranslated = []
    for e in entries:
        if e.startswith("#~"):
            continue  # obsolete
        strs = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', e + "\n", re.M)
        if not strs or not all("".join(re.findall(r'"(.*)"', s)) for s in strs):
            untranslated.append(e)
    assert untranslated == []
    assert "#, fuzzy" not in text


def test_the_cycle_values_and_results_pages_read_in_english(client, world):
    from kaohe.indicators.models import Indicator
    from kaohe.results.services import compute_cycle

    run = compute_cycle(by=world.office, cycle=world.cycle)
    a1 = Indicator.objects.get(cycle=world.cycle, code="A1")
    client.login(username="office", password=password("office"))
    switch_to_english(client, reverse("home"))
    pages = {
        reverse("cycle_detail", args=[world.cycle.pk]): ["Indicator system", "Data entry", "Computations and results"],
        reverse("indicator_tree", args=[world.cycle.pk]): ["Scoring method", "Scoring lead unit", "Add exam paper"],
        reverse("value_grid", args=[world.cycle.pk, a1.pk]): ["Save all", "Paste from Excel", "Fill the table"],
        reverse("run_detail", args=[world.cycle.pk, run.pk]): ["Ranking group", "Total", "Grade"],
        reverse("run_unit", args=[world.cycle.pk, run.pk, world.unit1.pk]): ["Report card", "Points lost"],
    }
    for url, labels in pages.items():
        page = client.get(url).content.decode()
        for label in labels:
            assert label in page, (url, label)
