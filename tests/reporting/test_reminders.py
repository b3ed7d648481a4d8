"""Reminders (催报): the units that have not submitted near or past the deadline, once a day, notice and e-mail."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from kaohe.audit.models import AuditEntry
from kaohe.indicators import gates
from kaohe.organisation.models import Profile
from kaohe.reporting import services
from kaohe.reporting.models import Reminder
from kaohe.web.models import Notice

from .reports_setup import leaf, window


def _all_submitted(world, user, unit) -> None:
    for code in ("A1", "A2", "B1"):
        r = services.save_report(by=user, cycle=world.cycle, unit=unit, indicator=leaf(world, code), actual=1.0,
                                 account="")
        services.submit_report(by=user, report=r)


def test_reminders_go_once_to_each_unit_that_has_not_submitted(world, django_capture_on_commit_callbacks) -> None:
    window(world.cycle, closes=2)
    world.u1.email = "u1@example.cn"
    world.u1.save()
    # a second person of 西山县 with an address, and the 西山县 clerk without one
    from django.contrib.auth.models import User

    other = User.objects.create_user("u2b", email="u2b@example.cn")
    Profile.objects.create(user=other, role=Profile.Role.UNIT, unit=world.unit2, name="西山县孙干事")
    _all_submitted(world, world.u2, world.unit2)  # 西山县 has done everything: not reminded
    with django_capture_on_commit_callbacks(execute=True):
        n = services.send_reminders(by=world.office, cycle=world.cycle)
    assert n == 2  # 东城县 and 南湖县 (which has no people to tell, but is recorded)
    assert [m.to for m in mail.outbox] == [["u1@example.cn"]]
    assert "3 项未提交" in mail.outbox[0].body
    assert Notice.objects.filter(user=world.u1, key__startswith="remind:").count() == 1
    assert not Notice.objects.filter(user=other).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(by=world.office, cycle=world.cycle) == 0
    assert len(mail.outbox) == 1 and Reminder.objects.count() == 2
    assert AuditEntry.objects.filter(object_type="reporting.Reminder").count() == 1


def test_one_message_per_unit_person_with_an_address(world, django_capture_on_commit_callbacks) -> None:
    from django.contrib.auth.models import User

    window(world.cycle, closes=1)
    for u in (world.u1, world.u2):
        u.email = f"{u.username}@example.cn"
        u.save()
    other = User.objects.create_user("u1b", email="u1b@example.cn")
    Profile.objects.create(user=other, role=Profile.Role.UNIT, unit=world.unit1, name="东城县孙干事")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(cycle=world.cycle) == 3
    assert sorted(m.to for m in mail.outbox) == [["u1@example.cn"], ["u1b@example.cn"], ["u2@example.cn"]]
    to_u1 = next(m for m in mail.outbox if m.to == ["u1@example.cn"])
    assert "东城县" in to_u1.body and "西山县" not in to_u1.body
    assert f"/cycles/{world.cycle.pk}/reports/" in to_u1.body


def test_no_reminders_while_the_deadline_is_far_nor_long_after_it(world) -> None:
    window(world.cycle, closes=10)
    assert services.send_reminders(cycle=world.cycle) == 0
    window(world.cycle, opens=-30, closes=-services.REMIND_AFTER - 1)
    assert services.send_reminders(cycle=world.cycle) == 0
    window(world.cycle, opens=-30, closes=-2)  # just closed: still reminded, told to contact the office
    assert services.send_reminders(cycle=world.cycle) == 3
    assert "请与考核办联系" in Notice.objects.filter(user=world.u1).get().text


def test_the_next_day_reminds_again(world) -> None:
    phase = window(world.cycle, closes=3)
    assert services.send_reminders(cycle=world.cycle) == 3
    assert services.send_reminders(cycle=world.cycle, day=gates.today() + dt.timedelta(days=1)) == 3
    assert Reminder.objects.filter(phase=phase).count() == 6


def test_the_office_button_and_the_daily_command(world, client) -> None:
    window(world.cycle, closes=0)
    client.force_login(world.u1)
    assert client.post(reverse("report_remind", kwargs={"cycle": world.cycle.pk})).status_code == 403
    client.force_login(world.office)
    resp = client.post(reverse("report_remind", kwargs={"cycle": world.cycle.pk}), follow=True)
    assert "已向 3 个单位发出催报" in resp.content.decode()
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "reminded 0 unit(s)" in out.getvalue()
    Reminder.objects.all().delete()
    Notice.objects.all().delete()
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "reminded 3 unit(s)" in out.getvalue()
