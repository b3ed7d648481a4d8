"""Domains and categories imported under their codes get the names that rankings and report cards show."""

from __future__ import annotations

from django.urls import reverse

from kaohe.audit.models import AuditEntry
from kaohe.organisation.models import Category, Domain

from ..conftest import password


def form(**over: str) -> dict[str, str]:
    data = {}
    for d in Domain.objects.prefetch_related("categories"):
        data[f"name-{d.pk}"] = d.name
        data[f"order-{d.pk}"] = str(d.order)
        for c in d.categories.all():
            data[f"cat-{c.pk}"] = c.name
    data.update(over)
    return data


def test_the_office_names_a_domain_and_a_category_and_the_change_is_audited(world, client) -> None:
    assert client.login(username="office", password=password("office"))
    county = Domain.objects.get(code="county")
    plain = Category.objects.get(code="plain")
    assert county.name == "county"  # as the import left it
    r = client.post(reverse("domain_names"), form(**{f"name-{county.pk}": "县（市、区）", f"cat-{plain.pk}": "平原县"}))
    assert r.status_code == 302
    assert Domain.objects.get(code="county").name == "县（市、区）"
    assert Category.objects.get(code="plain").name == "平原县"
    assert AuditEntry.objects.filter(object_type="organisation.Domain", changes__name=["county", "县（市、区）"]).exists()


def test_an_empty_name_or_a_bad_order_changes_nothing(world, client) -> None:
    assert client.login(username="office", password=password("office"))
    county = Domain.objects.get(code="county")
    r = client.post(reverse("domain_names"), form(**{f"name-{county.pk}": "", f"order-{county.pk}": "-1"}))
    assert r.status_code == 200
    page = r.content.decode()
    assert "名称不能为空" in page and "排序应为不小于 0 的整数" in page
    assert Domain.objects.get(code="county").name == "county"
