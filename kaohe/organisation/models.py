"""Who is assessed and who works on the platform: domains, categories (tracks), units, people."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Domain(models.Model):
    """领域: cities/counties, departments, enterprises, universities, development zones."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=80)
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("领域")
        verbose_name_plural = _("领域")

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """类别 / 赛道: units are ranked only against their own track."""

    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="categories", verbose_name=_("领域"))
    code = models.CharField(_("代码"), max_length=60)
    name = models.CharField(_("名称"), max_length=80)

    class Meta:
        ordering = ["domain__order", "code"]
        constraints = [models.UniqueConstraint(fields=["domain", "code"], name="category_unique_in_domain")]
        verbose_name = _("类别")
        verbose_name_plural = _("类别")

    def __str__(self) -> str:
        return f"{self.domain.name}·{self.name}"


class Unit(models.Model):
    """考核对象 and the offices that work on the platform (lead units are units too)."""

    class Kind(models.TextChoices):
        CITY = "city", _("市")
        COUNTY = "county", _("县市区")
        TOWNSHIP = "township", _("乡镇街道")
        DEPARTMENT = "department", _("部门")
        PARK = "park", _("园区")
        ENTERPRISE = "enterprise", _("企业")
        UNIVERSITY = "university", _("高校")
        OFFICE = "office", _("考核办")
        OTHER = "other", _("其他")

    code = models.CharField(_("编号"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="units", verbose_name=_("领域"))
    category = models.ForeignKey(Category, on_delete=models.PROTECT, null=True, blank=True, related_name="units",
                                 verbose_name=_("类别"))
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
                               verbose_name=_("上级单位"))
    active = models.BooleanField(_("在用"), default=True)

    class Meta:
        ordering = ["domain__order", "code"]
        verbose_name = _("单位")
        verbose_name_plural = _("单位")

    def __str__(self) -> str:
        return self.name

    @property
    def category_code(self) -> str:
        return self.category.code if self.category_id else ""


class Profile(models.Model):
    """A person's place on the platform: which role, for which unit, in which post."""

    class Role(models.TextChoices):
        OFFICE = "office", _("考核办")
        LEADER = "leader", _("领导")
        UNIT = "unit", _("单位")  # an assessed unit; also a lead unit for the indicators it owns

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(_("角色"), max_length=10, choices=Role.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="people",
                             verbose_name=_("所在单位"))
    name = models.CharField(_("姓名"), max_length=60)
    post = models.CharField(_("职务"), max_length=80, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        constraints = [
            models.CheckConstraint(condition=~models.Q(role="unit") | models.Q(unit__isnull=False),
                                   name="unit_people_have_a_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_role_display()}）"
