"""Forms of the organisation pages: they parse uploads, they never write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kaohe.lib.trees import subtree
from kaohe.lib.uploads import check_size

from .models import Category, Domain, Profile, Unit


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件 (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx", "class": "form-control"}))

    def clean_file(self):
        return check_size(self.cleaned_data["file"])


class UnitForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=120, widget=forms.TextInput({"class": "form-control"}))
    kind = forms.ChoiceField(label=_("类型"), choices=Unit.Kind.choices, widget=forms.Select({"class": "form-select"}))
    domain = forms.ModelChoiceField(label=_("领域"), queryset=Domain.objects.all(),
                                    widget=forms.Select({"class": "form-select"}))
    category = forms.ModelChoiceField(label=_("类别"), queryset=Category.objects.select_related("domain"),
                                      required=False, empty_label=_("（无）"),
                                      widget=forms.Select({"class": "form-select"}))
    parent = forms.ModelChoiceField(label=_("上级单位"), queryset=Unit.objects.none(), required=False,
                                    empty_label=_("（无）"), widget=forms.Select({"class": "form-select"}))
    active = forms.BooleanField(label=_("在用"), required=False, widget=forms.CheckboxInput({"class": "form-check-input"}))
    reason = forms.CharField(label=_("修改理由"), max_length=300, required=False,
                             widget=forms.TextInput({"class": "form-control"}), help_text=_("记入审计日志"))

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        below = _below(unit)
        self.fields["parent"].queryset = Unit.objects.exclude(pk__in=below).order_by("domain__order", "code")
        self.fields["parent"].label_from_instance = lambda u: f"{u.name}（{u.code}）"

    @staticmethod
    def initial_from(u: Unit) -> dict:
        return {"name": u.name, "kind": u.kind, "domain": u.domain_id, "category": u.category_id,
                "parent": u.parent_id, "active": u.active}

    def clean(self) -> dict:
        data = super().clean()
        cat, dom = data.get("category"), data.get("domain")
        if cat is not None and dom is not None and cat.domain_id != dom.pk:
            self.add_error("category", _("类别“%(c)s”不属于领域“%(d)s”") % {"c": cat.name, "d": dom.name})
        return data


def _below(unit: Unit) -> set[int]:
    """The unit and every unit under it (a unit cannot be placed under its own subordinate)."""
    return subtree(Unit.objects.values_list("pk", "parent_id"), unit.pk)


class PersonForm(forms.Form):
    """A person's login, role and unit. On creation the username and a first password are required."""

    username = forms.RegexField(label=_("用户名"), regex=r"^[A-Za-z0-9_.@-]{2,40}$", max_length=40,
                                help_text=_("字母、数字或 _ . @ -，登录时使用，创建后不可修改"),
                                widget=forms.TextInput({"class": "form-control", "autocomplete": "off"}))
    name = forms.CharField(label=_("姓名"), max_length=60, widget=forms.TextInput({"class": "form-control"}))
    role = forms.ChoiceField(label=_("角色"), choices=Profile.Role.choices, widget=forms.Select({"class": "form-select"}))
    unit = forms.ModelChoiceField(label=_("所在单位"), queryset=Unit.objects.filter(active=True).order_by(
        "domain__order", "code"), required=False, empty_label=_("（无）"), widget=forms.Select({"class": "form-select"}))
    post = forms.CharField(label=_("职务"), max_length=80, required=False, widget=forms.TextInput({"class": "form-control"}))
    phone = forms.CharField(label=_("电话"), max_length=30, required=False, widget=forms.TextInput({"class": "form-control"}))
    email = forms.EmailField(label=_("电子邮箱"), required=False, help_text=_("催报、退回等通知同时发到这个邮箱"),
                             widget=forms.EmailInput({"class": "form-control"}))
    active = forms.BooleanField(label=_("可以登录"), required=False, initial=True,
                                widget=forms.CheckboxInput({"class": "form-check-input"}))
    password = forms.CharField(label=_("密码"), required=False, min_length=10, strip=False,
                               help_text=_("至少 10 位；编辑时留空表示不修改"),
                               widget=forms.PasswordInput({"class": "form-control", "autocomplete": "new-password"}))
    reason = forms.CharField(label=_("修改理由"), max_length=300, required=False,
                             widget=forms.TextInput({"class": "form-control"}), help_text=_("记入审计日志"))

    def __init__(self, *args, person: Profile | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["unit"].label_from_instance = lambda u: f"{u.name}（{u.code}）"
        if person is not None:
            del self.fields["username"]
        else:
            self.fields["password"].required = True
            del self.fields["reason"]

    @staticmethod
    def initial_from(p: Profile) -> dict:
        return {"name": p.name, "role": p.role, "unit": p.unit_id, "post": p.post, "phone": p.phone,
                "email": p.user.email, "active": p.user.is_active}

    def clean(self) -> dict:
        data = super().clean()
        if data.get("role") == Profile.Role.UNIT and not data.get("unit"):
            self.add_error("unit", _("单位人员必须指定所在单位"))
        return data
