"""Forms of the survey public page (the answers) and of the office's invitations (codes, SMS lists)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from kaohe.lib.uploads import check_size
from kaohe.organisation.models import Unit

from .models import Group, Question
from .services import COMMENT_MAX

# the fields of one rating: "a<question>_<unit>"; anything else starting with "a<digit>" is not of this design
_ANSWER_KEY = re.compile(r"^a\d+_\d+$")


@dataclass(frozen=True)
class DesignQuestion:
    """A question as the respondents of one group see it: the units it rates, in a fixed order."""

    question: Question
    units: tuple[Unit, ...]


class AnswerForm(forms.Form):
    """One respondent's answers: a choice per (question, unit), each optional (people skip units they do not
    know), at least one; an optional comment per question, about one of its units."""

    def __init__(self, design: Sequence[DesignQuestion], choices: Sequence[tuple[str, str]], data=None) -> None:
        super().__init__(data)
        self.design = design
        self.choices = list(choices)
        for d in design:
            q = d.question
            for u in d.units:
                self.fields[f"a{q.pk}_{u.pk}"] = forms.ChoiceField(choices=self.choices, required=False, label=u.name)
            self.fields[f"c{q.pk}"] = forms.CharField(required=False, max_length=COMMENT_MAX, label=_l("意见建议"))
            if len(d.units) > 1:
                self.fields[f"cu{q.pk}"] = forms.TypedChoiceField(
                    choices=[("", "")] + [(u.pk, u.name) for u in d.units], coerce=int, required=False,
                    empty_value=None, label=_l("意见针对的单位"))

    def clean(self) -> dict:
        data = super().clean()
        # a rating outside this design (an old page after the design changed, or a forged one) is not dropped
        # silently: the respondent answers the page as it is now
        if self.data and any(_ANSWER_KEY.match(k) and k not in self.fields for k in self.data):
            raise forms.ValidationError(_("问卷内容已更新，请核对后重新提交。"))
        if not any(data.get(f"a{d.question.pk}_{u.pk}") for d in self.design for u in d.units):
            raise forms.ValidationError(_("请至少评价一个单位。"))
        for d in self.design:
            q = d.question.pk
            if len(d.units) > 1 and (data.get(f"c{q}") or "").strip() and not data.get(f"cu{q}"):
                self.add_error(f"cu{q}", _("请选择这条意见针对的单位。"))
        return data

    def answers(self) -> list[tuple[Question, Unit, str]]:
        d = self.cleaned_data
        return [(x.question, u, d[f"a{x.question.pk}_{u.pk}"]) for x in self.design for u in x.units
                if d.get(f"a{x.question.pk}_{u.pk}")]

    def comments(self) -> list[tuple[Question, Unit, str]]:
        d, out = self.cleaned_data, []
        for x in self.design:
            text = (d.get(f"c{x.question.pk}") or "").strip()
            if not text:
                continue
            unit = x.units[0] if len(x.units) == 1 else next(u for u in x.units if u.pk == d[f"cu{x.question.pk}"])
            out.append((x.question, unit, text))
        return out

    def rows(self) -> list[dict]:
        """What the page shows, question by question, with the values and errors of a refused POST: the
        inputs are written out in the template (cheaper than rendering a widget per radio button)."""
        bound = self.is_bound
        value = (lambda k: self.data.get(k, "")) if bound else (lambda k: "")
        errors = self.errors if bound else {}
        out = []
        for x in self.design:
            q = x.question.pk
            units = [{"pk": u.pk, "name": u.name, "field": f"a{q}_{u.pk}", "value": value(f"a{q}_{u.pk}"),
                      "errors": errors.get(f"a{q}_{u.pk}", [])} for u in x.units]
            out.append({"question": x.question, "units": units, "comment": value(f"c{q}"),
                        "comment_field": f"c{q}", "comment_errors": errors.get(f"c{q}", []),
                        "unit_field": f"cu{q}" if len(x.units) > 1 else "", "unit_value": str(value(f"cu{q}")),
                        "unit_errors": errors.get(f"cu{q}", [])})
        return out


def quick_clean(design: Sequence[DesignQuestion], choices: Sequence[str], data) -> tuple[list, list] | None:
    """The (answers, comments) of a POST that AnswerForm accepts, found without building the form (one form per
    answer sheet costs more than storing the sheet); None whenever the form could refuse it or would clean it
    differently — the caller then asks the form, which says what is wrong. Same rules as AnswerForm: every
    rating one of the choices or empty, none outside the design, at least one; a comment stripped, at most
    COMMENT_MAX characters, no NUL, about one of the question's units when it rates several."""
    keys = set(choices)
    known, answers, comments = set(), [], []
    for d in design:
        q = d.question
        for u in d.units:
            name = f"a{q.pk}_{u.pk}"
            known.add(name)
            value = data.get(name)
            if value is None or value == "":
                continue
            if value not in keys:
                return None
            answers.append((q, u, value))
        text = data.get(f"c{q.pk}") or ""
        if "\x00" in text:
            return None
        text = text.strip()
        if len(text) > COMMENT_MAX:
            return None
        if len(d.units) > 1:
            pick = data.get(f"cu{q.pk}")
            unit = None
            if pick is not None and pick != "":
                unit = next((u for u in d.units if str(u.pk) == pick), None)
                if unit is None:
                    return None
            if text:
                if unit is None:
                    return None
                comments.append((q, unit, text))
        elif text:
            comments.append((q, d.units[0], text))
    if not answers or any(_ANSWER_KEY.match(k) and k not in known for k in data):
        return None
    return answers, comments


class TokensForm(forms.Form):
    """The office asks for n one-time codes for one respondent group."""

    group = forms.ModelChoiceField(queryset=Group.objects.none(), label=_l("作答群体"), empty_label=None,
                                   widget=forms.Select(attrs={"class": "form-select"}))
    n = forms.IntegerField(label=_l("数量"), min_value=1, max_value=100_000, initial=100,
                           widget=forms.NumberInput(attrs={"class": "form-control"}))

    def __init__(self, survey, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = survey.groups.exclude(channel=Group.Channel.IMPORT)


class SmsForm(forms.Form):
    """A list of mobile numbers (typed or pasted one per line, or a file: text one per line, or .xlsx with the
    numbers in the first column) for one group."""

    group = forms.ModelChoiceField(queryset=Group.objects.none(), label=_l("作答群体"), empty_label=None,
                                   widget=forms.Select(attrs={"class": "form-select"}))
    phones = forms.CharField(label=_l("手机号码（每行一个）"), required=False,
                             widget=forms.Textarea(attrs={"class": "form-control font-monospace", "rows": 8}))
    file = forms.FileField(label=_l("或上传文件（.txt 每行一个，或 .xlsx 第一列）"), required=False,
                           widget=forms.ClearableFileInput(attrs={"accept": ".txt,.csv,.xlsx", "class": "form-control"}))

    def __init__(self, survey, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = survey.groups.exclude(channel=Group.Channel.IMPORT)

    def clean_file(self):
        f = self.cleaned_data.get("file")
        return check_size(f) if f else f

    def clean(self) -> dict:
        data = super().clean()
        if not (data.get("phones") or "").strip() and not data.get("file"):
            raise forms.ValidationError(_("请填写手机号码或上传文件。"))
        if (data.get("phones") or "").strip() and data.get("file"):
            raise forms.ValidationError(_("手机号码和文件只能二选一。"))
        return data
