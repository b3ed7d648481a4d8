"""The indicator tree editor: points warnings, per-method params checked by the engine's rules, roles."""

from __future__ import annotations

import pytest

from kaohe.audit.models import AuditEntry
from kaohe.indicators.models import Indicator
from tests.conftest import password


def login(client, user):
    assert client.login(username=user.username, password=password(user.username))
    return client


def form_data(node: Indicator, **over) -> dict:
    data = {"name": node.name, "code": node.code, "parent": node.parent_id or "", "points": node.points or "",
            "line": node.line, "method": node.method, "direction": node.direction,
            "lead_unit": node.lead_unit_id or "", "responsible": node.responsible, "reason": ""}
    data.update(over)
    return data


def test_tree_warns_after_a_groups_points_are_edited(client, world):
    login(client, world.office)
    a = world.cycle.indicators.get(code="A")
    url = f"/cycles/{world.cycle.pk}/indicators/{a.pk}/edit/"
    resp = client.post(url, form_data(a, points="50", reason="调整权重"), follow=True)
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "分值 50 ≠ 下级合计 60" in html
    assert AuditEntry.objects.filter(object_type="indicators.Indicator", object_id=str(a.pk), action="update",
                                     reason="调整权重").exists()


def test_tree_shows_no_warning_when_points_add_up(client, world):
    login(client, world.office)
    resp = client.get(f"/cycles/{world.cycle.pk}/indicators/")
    assert resp.status_code == 200
    assert "≠ 下级合计" not in resp.content.decode()
    assert "完成率法" in resp.content.decode()


@pytest.mark.parametrize("bad, message", [
    ({"p-cap": "-1"}, "cap"),
    ({"p-floor": "2"}, "floor"),
])
def test_params_form_rejects_a_bad_param(client, world, bad, message):
    login(client, world.office)
    a1 = world.cycle.indicators.get(code="A1")
    resp = client.post(f"/cycles/{world.cycle.pk}/indicators/{a1.pk}/edit/", form_data(a1, **bad))
    assert resp.status_code == 200
    assert "未保存" in resp.content.decode()
    a1.refresh_from_db()
    assert a1.params == {"cap": 1.2}


def test_threshold_needs_bands_and_reads_them_from_lines(client, world):
    login(client, world.office)
    a1 = world.cycle.indicators.get(code="A1")
    url = f"/cycles/{world.cycle.pk}/indicators/{a1.pk}/edit/"
    resp = client.post(url, form_data(a1, method="threshold"))
    assert "分档计分法至少要有一档" in resp.content.decode()
    resp = client.post(url, form_data(a1, method="threshold", **{"p-bands": "100, 1\n90，0.8\n80\t50%"}))
    assert resp.status_code == 302
    a1.refresh_from_db()
    assert a1.method == "threshold"
    assert a1.params == {"bands": [[100.0, 1.0], [90.0, 0.8], [80.0, 0.5]]}


def test_growth_rank_weights_must_sum_to_one(client, world):
    login(client, world.office)
    a1 = world.cycle.indicators.get(code="A1")
    resp = client.post(f"/cycles/{world.cycle.pk}/indicators/{a1.pk}/edit/",
                       form_data(a1, method="growth_rank", **{"p-w_increment": "0.5", "p-w_growth": "0.5",
                                                               "p-w_gap": "0.5"}))
    assert resp.status_code == 200
    assert "权重之和应为 1" in resp.content.decode()


def test_switching_method_renders_its_params_partial(client, world):
    login(client, world.office)
    resp = client.get(f"/cycles/{world.cycle.pk}/indicators/params/?method=efficacy")
    html = resp.content.decode()
    assert resp.status_code == 200
    assert 'placeholder="60"' in html and "<html" not in html
    resp = client.get(f"/cycles/{world.cycle.pk}/indicators/params/?method=satisfaction")
    assert 'placeholder="30"' in resp.content.decode()


def test_office_adds_a_child_and_deletes_it_with_a_reason(client, world):
    login(client, world.office)
    b = world.cycle.indicators.get(code="B")
    url = f"/cycles/{world.cycle.pk}/indicators/add/?parent={b.pk}"
    assert client.get(url).status_code == 200
    resp = client.post(url, {"name": "营商环境", "code": "B2", "parent": b.pk, "points": "10", "line": "main",
                             "method": "manual", "direction": "higher", "p-cap": "1"})
    assert resp.status_code == 302
    b2 = world.cycle.indicators.get(code="B2")
    assert b2.parent == b and b2.params == {"cap": 1.0}
    delete = f"/cycles/{world.cycle.pk}/indicators/{b2.pk}/delete/"
    assert client.post(delete, {"reason": ""}).status_code == 200  # a reason is required
    assert world.cycle.indicators.filter(code="B2").exists()
    assert client.post(delete, {"reason": "重复设置"}).status_code == 302
    assert not world.cycle.indicators.filter(code="B2").exists()
    assert AuditEntry.objects.filter(action="delete", object_id=str(b2.pk), reason="重复设置").exists()


def test_a_group_cannot_become_its_own_childs_child(client, world):
    login(client, world.office)
    a, a1 = world.cycle.indicators.get(code="A"), world.cycle.indicators.get(code="A1")
    resp = client.post(f"/cycles/{world.cycle.pk}/indicators/{a.pk}/edit/", form_data(a, parent=a1.pk))
    assert resp.status_code == 200
    a.refresh_from_db()
    assert a.parent_id is None


def test_leader_reads_the_tree_but_cannot_edit(client, world):
    login(client, world.leader)
    a = world.cycle.indicators.get(code="A")
    assert client.get(f"/cycles/{world.cycle.pk}/indicators/").status_code == 200
    assert client.get(f"/cycles/{world.cycle.pk}/indicators/{a.pk}/edit/").status_code == 403
    resp = client.post(f"/cycles/{world.cycle.pk}/indicators/{a.pk}/edit/", form_data(a, points="10"))
    assert resp.status_code == 403
    assert client.post(f"/cycles/{world.cycle.pk}/indicators/{a.pk}/delete/", {"reason": "x"}).status_code == 403
    a.refresh_from_db()
    assert a.points == 60


def test_unit_user_may_view_the_tree(client, world):
    login(client, world.u1)
    resp = client.get(f"/cycles/{world.cycle.pk}/indicators/")
    assert resp.status_code == 200
    assert "编辑" not in resp.content.decode()
