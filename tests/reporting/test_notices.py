"""In-app notices: a person's own list, unread first; reading one leads to its link."""

from __future__ import annotations

from django.urls import reverse

from kaohe.web.models import Notice
from kaohe.web.notice_views import unread_count
from kaohe.web.notices import notify


def test_a_person_sees_their_notices_unread_first_and_reading_one_follows_its_link(world, client) -> None:
    notify(users=[world.u1], text="旧通知", link="/cycles/", key="a")
    Notice.objects.filter(key="a").update(read_at="2026-01-01T00:00:00Z")
    notify(users=[world.u1], text="请填报 A1", link=f"/cycles/{world.cycle.pk}/reports/", key="b")
    notify(users=[world.u2], text="西山县的通知", key="c")
    assert unread_count(world.u1) == 1
    client.force_login(world.u1)
    page = client.get(reverse("notice_list")).content.decode()
    assert page.index("请填报 A1") < page.index("旧通知") and "西山县" not in page
    n = Notice.objects.get(key="b")
    resp = client.post(reverse("notice_read", kwargs={"pk": n.pk}))
    assert resp.status_code == 302 and resp.url == f"/cycles/{world.cycle.pk}/reports/"
    assert unread_count(world.u1) == 0


def test_reading_another_persons_notice_is_404(world, client) -> None:
    notify(users=[world.u2], text="西山县的通知", key="c")
    n = Notice.objects.get()
    client.force_login(world.u1)
    assert client.post(reverse("notice_read", kwargs={"pk": n.pk})).status_code == 404
    assert client.get(reverse("notice_read", kwargs={"pk": n.pk})).status_code == 405
    n.refresh_from_db()
    assert n.read_at is None


def test_a_notice_link_elsewhere_is_not_followed(world, client) -> None:
    notify(users=[world.u1], text="x", link="https://evil.example/", key="x")
    client.force_login(world.u1)
    resp = client.post(reverse("notice_read", kwargs={"pk": Notice.objects.get().pk}))
    assert resp.url == reverse("notice_list")
