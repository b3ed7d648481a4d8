"""Survey reads: counts ready for the engine and the figures per unit and group."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count as CountOf

from kaohe.indicators.models import Cycle

from .models import Answer, Count, Submission, Survey

Key = tuple[int, int, int]  # question, unit, group


def counts(survey: Survey) -> dict[Key, dict[str, int]]:
    """Answers per (question, unit, group) and choice: the folded counts plus counted answers not folded yet."""
    out: dict[Key, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for q, u, g, choice, n in Count.objects.filter(survey=survey).values_list(
            "question_id", "unit_id", "group_id", "choice", "n"):
        out[(q, u, g)][choice] += n
    tail = (Answer.objects.filter(submission__survey=survey, submission__folded=False,
                                  submission__status=Submission.Status.COUNTED)
            .values_list("question_id", "unit_id", "submission__group_id", "choice").annotate(n=CountOf("id"))
            .order_by())
    for q, u, g, choice, n in tail:
        out[(q, u, g)][choice] += n
    return {k: dict(v) for k, v in out.items()}


def responses_for_cycle(cycle: Cycle) -> tuple[set[int], list[dict[str, Any]]]:
    """The engine's `responses` from the cycle's surveys: counts per (indicator, unit, choice), every group and
    survey added up; and the ids of the indicators the surveys cover (their imported responses give way)."""
    covered: set[int] = set()
    total: dict[tuple[str, str, str], int] = defaultdict(int)
    for survey in Survey.objects.filter(cycle=cycle).prefetch_related("questions__indicator"):
        questions = {q.pk: q for q in survey.questions.all()}
        if not questions:
            continue
        covered.update(q.indicator_id for q in questions.values())
        units = dict(cycle.units.values_list("pk", "code"))
        for (q, u, _g), by_choice in counts(survey).items():
            for choice, n in by_choice.items():
                total[(questions[q].indicator.code, units.get(u, ""), choice)] += n
    rows = [{"indicator": i, "unit": u, "choice": c, "count": n} for (i, u, c), n in sorted(total.items()) if n and u]
    return covered, rows
