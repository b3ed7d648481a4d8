"""The office manages who may log in, with which role and for which unit; every change is audited."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.urls import reverse

from kaohe.audit.models import AuditEntry
from kaohe.organisation.models import Profile

from ..conftest import password


def login(client, user) -> None:
    assert client.login(username=user.username, password=password(user.username))


def test_the_office_adds_a_unit_clerk_who_can_then_log_in(world, client) -> None:
    login(client, world.office)
    r = client.post(reverse("person_create"), {"username": "u3clerk", "name": "南湖县孙主任", "role": "unit",
                                               "unit": world.unit1.pk, "post": "科长", "active": "on",
                                               "password": "a-long-password-1"})
    assert r.status_code == 302
    person = Profile.objects.get(user__username="u3clerk")
    assert (person.role, person.unit, person.post) == ("unit", world.unit1, "科长")
    entry = AuditEntry.objects.last()
    assert entry.action == "create" and "password" not in entry.changes and entry.changes["unit"] == [None, "U1"]
    client.logout()
    assert client.login(username="u3clerk", password="a-long-password-1")


def test_a_unit_clerk_without_a_unit_is_refused(world, client) -> None:
    login(client, world.office)
    r = client.post(reverse("person_create"), {"username": "nobody", "name": "无单位", "role": "unit",
                                               "password": "a-long-password-1"})
    assert r.status_code == 200
    assert "单位人员必须指定所在单位" in r.content.decode()
    assert not User.objects.filter(username="nobody").exists()


def test_a_taken_username_is_refused_with_a_message(world, client) -> None:
    login(client, world.office)
    r = client.post(reverse("person_create"), {"username": "u1", "name": "重名", "role": "leader",
                                               "password": "a-long-password-1"})
    assert r.status_code == 200 and "已被使用" in r.content.decode()


def test_disabling_a_person_stops_their_login_and_is_audited_with_the_reason(world, client) -> None:
    login(client, world.office)
    person = world.u2.profile
    r = client.post(reverse("person_edit", args=[person.pk]), {"name": person.name, "role": "unit",
                                                                "unit": world.unit2.pk, "reason": "调离"})
    assert r.status_code == 302
    entry = AuditEntry.objects.last()
    assert entry.changes["active"] == [True, False] and entry.reason == "调离"
    client.logout()
    assert not client.login(username="u2", password=password("u2"))


def test_a_new_password_is_set_but_never_logged(world, client) -> None:
    login(client, world.office)
    person = world.leader.profile
    client.post(reverse("person_edit", args=[person.pk]), {"name": person.name, "role": "leader", "active": "on",
                                                            "password": "brand-new-secret-9"})
    entry = AuditEntry.objects.last()
    assert "brand-new-secret-9" not in str(entry.changes)
    client.logout()
    assert client.login(username="leader", password="brand-new-secret-9")


def test_only_the_office_changes_people_and_units_never_see_the_list(world, client) -> None:
    login(client, world.leader)
    assert client.get(reverse("people_list")).status_code == 200
    assert client.get(reverse("person_create")).status_code == 403
    client.logout()
    login(client, world.u1)
    assert client.get(reverse("people_list")).status_code == 403
    assert client.post(reverse("person_edit", args=[world.u2.profile.pk]), {"name": "x", "role": "office"}).status_code == 403
    assert world.u2.profile.__class__.objects.get(pk=world.u2.profile.pk).role == "unit"


def test_an_email_address_set_on_the_people_page_receives_the_units_notices(
        world, client, mailoutbox, django_capture_on_commit_callbacks) -> None:
    from kaohe.web.notices import notify, unit_users

    login(client, world.office)
    url = reverse("person_edit", kwargs={"pk": world.u1.profile.pk})
    data = {"name": "东城县赵主任", "role": "unit", "unit": world.unit1.pk, "active": "on",
            "email": "zhao@dongcheng.gov.cn", "reason": "补登邮箱"}
    assert client.post(url, data).status_code == 302
    assert User.objects.get(username="u1").email == "zhao@dongcheng.gov.cn"
    assert AuditEntry.objects.last().changes["email"] == ["", "zhao@dongcheng.gov.cn"]
    assert client.post(url, data | {"email": "not-an-address"}).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=unit_users(world.unit1), text="请在截止前提交目标完成情况")
    assert [m.to for m in mailoutbox] == [["zhao@dongcheng.gov.cn"]]
