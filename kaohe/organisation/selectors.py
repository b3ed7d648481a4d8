"""Reads of the organisation: units grouped as the office thinks of them (domain, then category)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from .models import Category, Domain, Unit


@dataclass
class CategoryBlock:
    category: Category | None
    units: list[Unit] = field(default_factory=list)


@dataclass
class DomainBlock:
    domain: Domain
    blocks: list[CategoryBlock] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(b.units) for b in self.blocks)


def units_grouped() -> list[DomainBlock]:
    """Every unit under its domain and category, each with its parent and its number of people."""
    units = (Unit.objects.select_related("domain", "category", "parent").annotate(people_count=Count("people"))
             .order_by("domain__order", "domain__code", "category__code", "code"))
    out: dict[int, DomainBlock] = {d.pk: DomainBlock(d) for d in Domain.objects.all()}
    for u in units:
        block = out[u.domain_id]
        if not block.blocks or block.blocks[-1].category != u.category:
            block.blocks.append(CategoryBlock(u.category))
        block.blocks[-1].units.append(u)
    return [b for b in out.values() if b.blocks]


EXPORT_HEADERS = ("编号", "名称", "类型", "领域", "类别", "上级单位")


def unit_rows() -> list[tuple[str, str, str, str, str, str]]:
    """The units as the import sheet reads them back (names for domain and category, the parent's code)."""
    units = Unit.objects.select_related("domain", "category", "parent").order_by("domain__order", "code")
    return [(u.code, u.name, u.get_kind_display(), u.domain.name, u.category.name if u.category_id else "",
             u.parent.code if u.parent_id else "") for u in units]
