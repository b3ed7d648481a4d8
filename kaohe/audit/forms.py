"""The audit log's filters, parsed; an unknown value simply filters nothing out."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kaohe.indicators.models import Cycle

from .models import AuditEntry


class AuditFilterForm(forms.Form):
    cycle = forms.ModelChoiceField(label=_("考核周期"), queryset=Cycle.objects.all(), required=False,
                                   empty_label=_("全部周期"))
    action = forms.ChoiceField(label=_("操作"), required=False)
    object_type = forms.ChoiceField(label=_("对象类型"), required=False)
    actor = forms.ChoiceField(label=_("操作人"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # the choices are what the log holds, so a filter never comes up empty by a typo
        def choices(field: str, everything: str, label=lambda v: v) -> list[tuple[str, str]]:
            values = AuditEntry.objects.order_by(field).values_list(field, flat=True).distinct()
            return [("", everything)] + [(v, label(v)) for v in values]

        from .selectors import action_label, type_label

        self.fields["action"].choices = choices("action", _("全部操作"), action_label)
        self.fields["object_type"].choices = choices("object_type", _("全部对象"), type_label)
        self.fields["actor"].choices = choices("actor_name", _("全部人员"))
