"""Writes to the organisation: units imported from an Excel sheet, each change in the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from typing import IO, Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from kaohe.audit.services import diff, record
from kaohe.workbook.cells import cell_text

from .models import Category, Domain, Profile, Unit
from .selectors import EXPORT_HEADERS, unit_rows


@dataclass(frozen=True)
class SheetProblem:
    row: int | None
    column: str | None
    message: str


class UnitSheetInvalid(Exception):
    def __init__(self, problems: list[SheetProblem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the unit sheet")


KIND_WORDS: dict[str, str] = {}
for _k, _label in Unit.Kind.choices:
    KIND_WORDS[_k] = _k
    KIND_WORDS[str(_label)] = _k



def read_unit_sheet(source: bytes | IO[bytes]) -> list[dict[str, str]]:
    """The rows of a unit sheet (first sheet, header in row 1); every problem at once, by row and column."""
    from openpyxl import load_workbook

    data = source if isinstance(source, bytes) else source.read()
    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise UnitSheetInvalid([SheetProblem(None, None, "文件不是可读取的 Excel 工作簿 (.xlsx)")]) from None
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    book.close()
    if not rows:
        raise UnitSheetInvalid([SheetProblem(1, None, "工作表是空的")])
    header = [cell_text(h) for h in rows[0]]
    problems: list[SheetProblem] = []
    cols: dict[str, int] = {}
    for name in EXPORT_HEADERS:
        if name in header:
            cols[name] = header.index(name)
        elif name in ("编号", "名称", "领域"):
            problems.append(SheetProblem(1, name, f"缺少“{name}”列"))
    if problems:
        raise UnitSheetInvalid(problems)
    out = []
    for i, raw in enumerate(rows[1:], start=2):
        row = {name: cell_text(raw[c]) if c < len(raw) else "" for name, c in cols.items()}
        if not any(row.values()):
            continue
        row["_row"] = str(i)
        out.append(row)
    return out


@transaction.atomic
def import_units(*, by, rows: list[dict[str, str]], source: str = "") -> dict[str, int]:
    """Create or update units by code from sheet rows; all or nothing, every problem reported.

    Domains and categories named in the sheet (by name or code) are created when unknown.
    """
    problems: list[SheetProblem] = []
    seen: dict[str, int] = {}
    for r in rows:
        n = int(r["_row"])
        for col in ("编号", "名称", "领域"):
            if not r.get(col):
                problems.append(SheetProblem(n, col, f"“{col}”不能为空"))
        code = r.get("编号", "")
        if code in seen:
            problems.append(SheetProblem(n, "编号", f"编号 {code} 与第{seen[code]}行重复"))
        elif code:
            seen[code] = n
        kind = r.get("类型", "")
        if kind and kind not in KIND_WORDS:
            problems.append(SheetProblem(n, "类型", f"未知类型“{kind}”；可用：{'、'.join(str(l) for _, l in Unit.Kind.choices)}"))
    existing = {u.code: u for u in Unit.objects.all()}
    names = {u.name: u.code for u in existing.values()}
    sheet_names = {r.get("名称"): r.get("编号") for r in rows}
    parents: dict[str, str] = {}
    for r in rows:
        p = r.get("上级单位", "")
        if not p:
            continue
        code = p if (p in seen or p in existing) else sheet_names.get(p) or names.get(p)
        if not code:
            problems.append(SheetProblem(int(r["_row"]), "上级单位", f"上级单位“{p}”既不在表中也不在系统中"))
        elif code == r.get("编号"):
            problems.append(SheetProblem(int(r["_row"]), "上级单位", "上级单位不能是本单位"))
        else:
            parents[r["编号"]] = code
    # a parent chain must not loop back (A above B above A)
    for start in parents:
        walk, j = {start}, parents.get(start)
        while j:
            if j in walk:
                problems.append(SheetProblem(seen.get(start), "上级单位", f"单位 {start} 的上级关系成环"))
                break
            walk.add(j)
            j = parents.get(j) or (existing[j].parent.code if j in existing and existing[j].parent_id
                                    and j not in seen else None)
    if problems:
        raise UnitSheetInvalid(sorted(problems, key=lambda p: (p.row or 0, EXPORT_HEADERS.index(p.column)
                                                               if p.column in EXPORT_HEADERS else 9)))

    domains = list(Domain.objects.all())
    created = 0
    updated: set[str] = set()
    units: dict[str, Unit] = dict(existing)
    for r in rows:
        dom_text = r["领域"]
        dom = next((d for d in domains if d.name == dom_text or d.code == dom_text), None)
        if dom is None:
            dom = Domain.objects.create(code=dom_text, name=dom_text, order=len(domains) + 1)
            domains.append(dom)
            record(by=by, action="create", obj=dom, changes={"code": [None, dom.code], "name": [None, dom.name]},
                   reason=f"导入单位 {source}".strip())
        cat = None
        cat_text = r.get("类别", "")
        if cat_text:
            cat = (Category.objects.filter(domain=dom, name=cat_text).first()
                   or Category.objects.filter(domain=dom, code=cat_text).first())
            if cat is None:
                cat = Category.objects.create(domain=dom, code=cat_text, name=cat_text)
                record(by=by, action="create", obj=cat, changes={"domain": [None, dom.code], "code": [None, cat_text]},
                       reason=f"导入单位 {source}".strip())
        fields = {"name": r["名称"], "domain": dom, "category": cat}
        if r.get("类型"):
            fields["kind"] = KIND_WORDS[r["类型"]]
        unit = units.get(r["编号"])
        if unit is None:
            unit = Unit.objects.create(code=r["编号"], **fields)
            units[unit.code] = unit
            record(by=by, action="create", obj=unit, changes=_snap(unit, {}), reason=f"导入单位 {source}".strip())
            created += 1
        else:
            before = _snap(unit, {})
            for k, v in fields.items():
                setattr(unit, k, v)
            changes = diff(before, _snap(unit, {}))
            if changes:
                unit.save()
                record(by=by, action="update", obj=unit, changes=changes, reason=f"导入单位 {source}".strip())
                updated.add(unit.code)
    for r in rows:
        unit = units[r["编号"]]
        parent = units[parents[unit.code]] if unit.code in parents else None
        if "上级单位" in r and unit.parent_id != (parent.pk if parent else None):
            old = unit.parent.code if unit.parent_id else None
            unit.parent = parent
            unit.save(update_fields=["parent"])
            record(by=by, action="update", obj=unit, changes={"parent": [old, parent.code if parent else None]},
                   reason=f"导入单位 {source}".strip())
            if unit.code in existing:
                updated.add(unit.code)
    return {"rows": len(rows), "created": created, "updated": len(updated)}


def _snap(unit: Unit, _extra: dict) -> dict[str, Any]:
    return {"code": unit.code, "name": unit.name, "kind": unit.kind, "domain": unit.domain.code,
            "category": unit.category.code if unit.category_id else "",
            "parent": unit.parent.code if unit.parent_id else "", "active": unit.active}


@transaction.atomic
def update_unit(*, by, unit: Unit, data: dict[str, Any], reason: str = "") -> bool:
    """Change a unit's name, type, domain, category, parent or status; False when nothing changed."""
    before = _snap(unit, {})
    for key, value in data.items():
        setattr(unit, key, value)
    changes = diff(before, _snap(unit, {}))
    if not changes:
        return False
    unit.save()
    record(by=by, action="update", obj=unit, changes=changes, reason=reason)
    return True


def write_unit_sheet(fileobj: IO[bytes]) -> None:
    """All units in the import sheet's columns, so the file can be edited and imported again."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "单位"
    sheet.append(list(EXPORT_HEADERS))
    for c in sheet[1]:
        c.font = Font(bold=True)
    for row in unit_rows():
        sheet.append(list(row))
    for col, width in zip("ABCDEF", (14, 28, 10, 16, 16, 14)):
        sheet.column_dimensions[col].width = width
    sheet.freeze_panes = "A2"
    book.save(fileobj)


# ---- people: the assessment office's own staff, leaders, and each unit's clerks


class PersonInvalid(Exception):
    """A person cannot be saved as given; the message says why."""


def _person_snap(p: Profile) -> dict[str, Any]:
    return {"username": p.user.username, "name": p.name, "role": p.role, "unit": p.unit.code if p.unit_id else "",
            "post": p.post, "phone": p.phone, "email": p.user.email, "active": p.user.is_active}


@transaction.atomic
def create_person(*, by, username: str, password: str, name: str, role: str, unit: Unit | None, post: str = "",
                  phone: str = "", email: str = "") -> Profile:
    """A login with its role and unit. The password itself is never written to the audit log."""
    if User.objects.filter(username=username).exists():
        raise PersonInvalid(_("用户名 %(u)s 已被使用") % {"u": username})
    if role == Profile.Role.UNIT and unit is None:
        raise PersonInvalid(_("单位人员必须指定所在单位"))
    user = User.objects.create_user(username=username, password=password, email=email)
    person = Profile.objects.create(user=user, role=role, unit=unit, name=name, post=post, phone=phone)
    record(by=by, action="create", obj=person, object_repr=str(person),
           changes={k: [None, v] for k, v in _person_snap(person).items()})
    return person


@transaction.atomic
def update_person(*, by, person: Profile, data: dict[str, Any], password: str = "", reason: str = "") -> bool:
    """Change role, unit, name, post, phone, e-mail or status, or set a new password; False when nothing changed."""
    before = _person_snap(person)
    active = data.pop("active", person.user.is_active)
    person.user.email = data.pop("email", person.user.email)
    for key, value in data.items():
        setattr(person, key, value)
    if person.role == Profile.Role.UNIT and person.unit_id is None:
        raise PersonInvalid(_("单位人员必须指定所在单位"))
    person.user.is_active = active
    changes = diff(before, _person_snap(person))
    if password:
        person.user.set_password(password)
        changes["password"] = ["******", "******（已重设）"]
    if not changes:
        return False
    person.save()
    person.user.save()
    record(by=by, action="update", obj=person, object_repr=str(person), changes=changes, reason=reason)
    return True


@transaction.atomic
def rename_domains(*, by, names: dict[str, str], orders: dict[str, int], category_names: dict[int, str]) -> int:
    """Set the names people read for domains (by code), their order, and category names (by pk)."""
    changed = 0
    for d in Domain.objects.select_for_update().filter(code__in=set(names) | set(orders)):
        before = {"name": d.name, "order": d.order}
        d.name = names.get(d.code, d.name)
        d.order = orders.get(d.code, d.order)
        changes = diff(before, {"name": d.name, "order": d.order})
        if changes:
            d.save(update_fields=["name", "order"])
            record(by=by, action="update", obj=d, changes=changes)
            changed += 1
    for c in Category.objects.select_for_update().select_related("domain").filter(pk__in=category_names):
        if category_names[c.pk] != c.name:
            record(by=by, action="update", obj=c, changes={"name": [c.name, category_names[c.pk]]})
            c.name = category_names[c.pk]
            c.save(update_fields=["name"])
            changed += 1
    return changed
