"""The rating pages through the client: sealing, sheets, who opens what."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse

from kaohe.indicators.models import Rating
from kaohe.ratings import services
from kaohe.ratings.models import Rater, SheetScore

from .conftest import cells


def _url(name: str, r, **kw) -> str:
    return reverse(name, kwargs={"cycle": r.cycle.pk, **kw})


def _cell(r, unit) -> tuple[str, str]:
    return f"s-{r.leaf.pk}-{unit.pk}", f"r-{r.leaf.pk}-{unit.pk}"


def test_the_office_sees_completion_but_no_score_while_rating_is_open(r, client) -> None:
    services.submit_sheet(by=r.chiefs[0].user, rater=r.chiefs[0], cells=cells(r.leaf, {r.u1: 87.5, r.u2: 87.5,
                                                                                       r.u3: 87.5}))
    client.force_login(r.office)
    page = client.get(_url("rating_setup", r)).content.decode()
    assert "1 / 3" in page and "0 / 3" in page  # leaders 1 of 3 submitted, peers none
    assert "87.5" not in page
    assert "副市长2" in page  # among those who have not submitted
    scores = client.get(_url("rating_scores", r)).content.decode()
    assert "评分密封" in scores and "87.5" not in scores
    assert client.get(_url("rating_scores_export", r)).status_code == 302


def test_the_scores_show_once_the_window_has_closed(r, client) -> None:
    services.submit_sheet(by=r.chiefs[0].user, rater=r.chiefs[0], cells=cells(r.leaf, {r.u1: 87.5, r.u2: 55, r.u3: 70},
                                                                                {r.u2: "重点项目推进滞后"}))
    client.force_login(r.w.leader)
    with time_machine.travel(r.window.closes + dt.timedelta(days=1), tick=False):
        page = client.get(_url("rating_scores", r)).content.decode()
        export = client.get(_url("rating_scores_export", r))
    assert "评分密封" not in page
    assert "87.5" in page and r.chiefs[0].code in page
    assert "重点项目推进滞后" in page  # the reason a low score needed is read beside it
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_rater_fills_saves_and_submits_a_sheet_once(r, client) -> None:
    client.force_login(r.w.u1)
    url = _url("rating_sheet", r, pk=r.peer1.pk)
    page = client.get(url).content.decode()
    assert "南湖县" in page and "工作实绩评议" in page
    s2, r2 = _cell(r, r.u2)
    s3, r3 = _cell(r, r.u3)
    resp = client.post(url, {s2: "88", s3: "", "action": "save"})
    assert resp.status_code == 302
    assert SheetScore.objects.get(rater=r.peer1, unit=r.u2).score == 88
    resp = client.post(url, {s2: "88", s3: "77", "action": "submit"}, follow=True)
    assert "评议表已提交" in resp.content.decode()
    assert Rating.objects.filter(rater=r.peer1.code).count() == 2
    resp = client.post(url, {s2: "10", s3: "10", "action": "submit"}, follow=True)
    assert "不能再修改" in resp.content.decode()
    assert set(Rating.objects.filter(rater=r.peer1.code).values_list("score", flat=True)) == {88.0, 77.0}
    assert f'name="{s2}"' not in client.get(url).content.decode()  # read-only now


def test_invalid_cells_are_marked_and_nothing_is_saved(r, client) -> None:
    client.force_login(r.w.u1)
    s2, r2 = _cell(r, r.u2)
    s3, _r3 = _cell(r, r.u3)
    resp = client.post(_url("rating_sheet", r, pk=r.peer1.pk), {s2: "40", r2: "", s3: "abc", "action": "save"})
    page = resp.content.decode()
    assert resp.status_code == 200
    assert page.count("is-invalid") == 1  # the text is refused before the reason is looked at
    resp = client.post(_url("rating_sheet", r, pk=r.peer1.pk), {s2: "40", r2: "", s3: "70", "action": "save"})
    page = resp.content.decode()
    assert "is-invalid" in page and "须说明理由" in page
    assert not SheetScore.objects.filter(rater=r.peer1).exists()


def test_outside_the_window_the_sheet_is_read_only_with_the_reason(r, client) -> None:
    client.force_login(r.w.u1)
    s2, _ = _cell(r, r.u2)
    with time_machine.travel(r.window.closes + dt.timedelta(days=2), tick=False):
        page = client.get(_url("rating_sheet", r, pk=r.peer1.pk)).content.decode()
        resp = client.post(_url("rating_sheet", r, pk=r.peer1.pk), {s2: "80", "action": "save"}, follow=True)
    assert f'name="{s2}"' not in page and "截止" in page
    assert "截止" in resp.content.decode()
    assert not SheetScore.objects.exists()


def test_a_person_cannot_open_another_raters_sheet(r, client) -> None:
    client.force_login(r.w.u1)
    assert client.get(_url("rating_sheet", r, pk=r.peer2.pk)).status_code == 404
    assert client.get(_url("rating_sheet", r, pk=r.chiefs[0].pk)).status_code == 404
    client.force_login(r.office)  # not even the office reads a sheet
    assert client.get(_url("rating_sheet", r, pk=r.peer1.pk)).status_code == 404


def test_a_raters_list_shows_their_own_sheets(r, client) -> None:
    client.force_login(r.chiefs[1].user)
    page = client.get(_url("rating_sheets", r)).content.decode()
    assert r.chiefs[1].code in page and r.chiefs[0].code not in page


def test_the_office_cannot_assign_a_unit_to_rate_itself(r, client) -> None:
    client.force_login(r.office)
    resp = client.post(_url("rater_add", r), {"group": r.peers.pk, "kind": "unit", "unit": r.w.stat_unit.pk,
                                              "code": "", "rates": [r.u1.pk]})
    assert resp.status_code == 302
    assert Rater.objects.filter(cycle=r.cycle, unit=r.w.stat_unit).exists()
    # u2 works at 西山县 (U2): as a person rater they may not rate U2 either
    resp = client.post(_url("rater_add", r), {"group": r.leaders.pk, "kind": "person", "user": r.w.u2.pk,
                                              "rates": [r.u1.pk, r.u2.pk]})
    assert resp.status_code == 200 and "不能评议本单位" in resp.content.decode()


def test_all_but_own_unit_leaves_the_raters_unit_out(r, client) -> None:
    client.force_login(r.office)
    resp = client.post(_url("rater_add", r), {"group": r.leaders.pk, "kind": "person", "user": r.w.u1.pk,
                                              "all_but_own": "on"})
    assert resp.status_code == 302
    rater = Rater.objects.get(cycle=r.cycle, user=r.w.u1)
    assert set(rater.rates.values_list("code", flat=True)) == {"U2", "U3"}


def test_the_office_manages_groups_and_the_window_from_the_page(r, client) -> None:
    client.force_login(r.office)
    resp = client.post(_url("rater_group_save", r), {"code": "towns", "name": "乡镇评部门", "weight": "30"})
    assert resp.status_code == 302
    towns = r.cycle.rater_groups.get(code="towns")
    assert towns.weight == 0.3
    page = client.get(_url("rating_setup", r)).content.decode()
    assert "130%" in page and "权重合计不是 100%" in page
    resp = client.post(_url("rater_group_delete", r, pk=r.peers.pk), follow=True)
    assert "不能删除" in resp.content.decode()
    assert client.post(_url("rater_group_delete", r, pk=towns.pk)).status_code == 302
    resp = client.post(_url("rating_window_save", r), {"opens": "2026-12-10", "closes": "2026-12-01",
                                                       "reason_below": "60"})
    assert resp.status_code == 200 and "不能早于" in resp.content.decode()


def test_a_leader_reads_the_setup_with_nothing_to_press(r, client) -> None:
    client.force_login(r.w.leader)
    page = client.get(_url("rating_setup", r)).content.decode()
    assert "只读" in page and reverse("rater_add", kwargs={"cycle": r.cycle.pk}) not in page
