"""Units: the grouped list, import from an Excel sheet (all or nothing), export that reads back."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook, load_workbook

from kaohe.audit.models import AuditEntry
from kaohe.organisation.models import Category, Domain, Unit
from tests.conftest import password

HEADER = ["编号", "名称", "类型", "领域", "类别", "上级单位"]


def login(client, user):
    assert client.login(username=user.username, password=password(user.username))
    return client


def sheet(*rows) -> BytesIO:
    book = Workbook()
    s = book.active
    s.append(HEADER)
    for r in rows:
        s.append(list(r))
    buf = BytesIO()
    book.save(buf)
    buf.seek(0)
    buf.name = "units.xlsx"
    return buf


def test_unit_list_groups_by_domain_and_category_with_people(client, world):
    login(client, world.leader)
    html = client.get("/org/units/").content.decode()
    assert "市级部门" in html and "统计局" in html and "类别：plain" in html
    assert "东城县" in html


def test_unit_user_cannot_read_the_unit_list(client, world):
    login(client, world.u1)
    assert client.get("/org/units/").status_code == 403
    assert client.get("/org/units/export.xlsx").status_code == 403


def test_import_creates_units_domains_categories_and_parents(client, world):
    login(client, world.office)
    f = sheet(["T1", "城关镇", "乡镇街道", "乡镇", "工业型", "U1"],
              ["T2", "河西镇", "乡镇街道", "乡镇", "旅游型", "东城县"],
              ["U1", "东城县", "县市区", "county", "plain", None])
    resp = client.post("/org/units/import/", {"file": f})
    assert resp.status_code == 302
    t1, t2 = Unit.objects.get(code="T1"), Unit.objects.get(code="T2")
    assert t1.domain.name == "乡镇" and t1.category.name == "工业型" and t1.parent == world.unit1
    assert t2.parent == world.unit1 and t2.kind == Unit.Kind.TOWNSHIP
    assert Unit.objects.get(code="U1").kind == Unit.Kind.COUNTY
    assert AuditEntry.objects.filter(object_type="organisation.Unit", object_id=str(t1.pk), action="create").exists()
    assert AuditEntry.objects.filter(object_type="organisation.Domain", action="create").exists()


def test_a_bad_sheet_names_every_problem_and_imports_nothing(client, world):
    login(client, world.office)
    units, domains, entries = Unit.objects.count(), Domain.objects.count(), AuditEntry.objects.count()
    f = sheet(["T1", "城关镇", "村", "乡镇", None, None],
              ["T1", "又一个", None, "乡镇", None, None],
              [None, "无编号", None, None, None, "不存在的单位"])
    resp = client.post("/org/units/import/", {"file": f})
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "未知类型“村”" in html and "与第2行重复" in html and "“编号”不能为空" in html
    assert "“领域”不能为空" in html and "不存在的单位" in html
    assert (Unit.objects.count(), Domain.objects.count(), AuditEntry.objects.count()) == (units, domains, entries)


def test_export_reads_back_through_the_import(client, world):
    login(client, world.office)
    resp = client.get("/org/units/export.xlsx")
    assert resp.status_code == 200
    rows = list(load_workbook(BytesIO(resp.content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert ("U1", "东城县", "其他", "county", "plain", None) in rows
    buf = BytesIO(resp.content)
    buf.name = "units.xlsx"
    entries = AuditEntry.objects.count()
    assert client.post("/org/units/import/", {"file": buf}).status_code == 302
    assert AuditEntry.objects.count() == entries  # nothing changed, nothing logged
    assert Category.objects.filter(code="plain").count() == 1


def test_leader_cannot_import(client, world):
    login(client, world.leader)
    assert client.post("/org/units/import/", {"file": sheet(["T9", "x", None, "乡镇", None, None])}).status_code == 403
    assert not Unit.objects.filter(code="T9").exists()


def test_office_edits_a_unit_and_the_change_is_logged(client, world):
    login(client, world.office)
    u = world.unit1
    url = f"/org/units/{u.pk}/edit/"
    assert client.get(url).status_code == 200
    resp = client.post(url, {"name": "东城区", "kind": "county", "domain": u.domain_id, "category": u.category_id or "",
                             "parent": "", "active": "on", "reason": "撤县设区"})
    assert resp.status_code == 302
    u.refresh_from_db()
    assert u.name == "东城区" and u.kind == Unit.Kind.COUNTY
    entry = AuditEntry.objects.filter(object_type="organisation.Unit", object_id=str(u.pk)).latest("id")
    assert entry.changes["name"] == ["东城县", "东城区"] and entry.reason == "撤县设区"


def test_a_category_from_another_domain_is_refused(client, world):
    login(client, world.office)
    stat = world.stat_unit
    plain = Category.objects.get(code="plain")
    resp = client.post(f"/org/units/{stat.pk}/edit/", {"name": stat.name, "kind": "department",
                                                       "domain": stat.domain_id, "category": plain.pk})
    assert resp.status_code == 200 and "不属于领域" in resp.content.decode()


def test_leader_cannot_edit_units(client, world):
    login(client, world.leader)
    u = world.unit1
    resp = client.post(f"/org/units/{u.pk}/edit/", {"name": "x", "kind": "county", "domain": u.domain_id})
    assert resp.status_code == 403
    u.refresh_from_db()
    assert u.name == "东城县"


def test_a_parent_loop_in_the_sheet_is_refused(client, world):
    login(client, world.office)
    f = sheet(["T1", "甲镇", None, "乡镇", None, "T2"], ["T2", "乙镇", None, "乡镇", None, "T1"])
    resp = client.post("/org/units/import/", {"file": f})
    assert resp.status_code == 200 and "上级关系成环" in resp.content.decode()
    assert not Unit.objects.filter(code__in=["T1", "T2"]).exists()
