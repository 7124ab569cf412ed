"""A plan as the command line prints it: one table per plan, the notes, the safety words; and CSV.

The words come from the catalog (the chosen language); the marks are the tables' own (marks.Evidence:
'!' a doubtful figure, '‡' a partial one, a lower bound; '†' a fallback weight, as in `meal`).
"""

from __future__ import annotations

from typing import Any

from ..domain.figures import fmt_number
from ..i18n import N_, _
from ..plan.diet import DIET_WORDS
from ..plan.results import Plan, PlanResult
from .cells import Table, grams, iu, quoted, ug
from .data import to_csv
from .marks import MARK_FALLBACK, MARK_PARTIAL, Evidence, fallback_note

DOUBTFUL_LEFT_OUT = N_(
    "Only trusted figures are planned: unflagged, not uncertain, and measured in full or in the food's "
    "main forms of K2 (--include-doubtful admits the others, marked !)."
)
PARTIAL_IS_LOWER_BOUND = N_(
    "{mark} A partial figure is a lower bound: the forms not measured can only add K2, so a plan that "
    "reaches its target with it still reaches it."
)


def diet_word(diet: str) -> str:
    """A diet's name in the chosen language ('no-soy' → 'no soy', '不含大豆')."""
    return _(DIET_WORDS[diet])


def plan_title(number: int, plan: Plan, result: PlanResult) -> str:
    """'Plan 1: 20.2 µg K2 of the 20.0 µg needed (pairs with 2,020 IU D3)' (and the page's heading)."""
    fields = {
        "number": number,
        "k2": ug(plan.k2),
        "need": ug(plan.k2_to_plan_ug),
        "short": ug(plan.shortfall_ug),
        "total": ug(plan.total_k2_ug),
        "d3": iu(plan.pairs_with_d3_iu),
    }
    if not plan.reaches:
        template = _(
            "Plan {number}: {k2} µg K2 of the {need} µg needed, {short} µg short (pairs with {d3} D3)"
        )
    elif result.eaten is not None:
        template = _(
            "Plan {number}: {k2} µg K2 of the {need} µg left; with the meal, {total} µg (pairs with {d3} D3)"
        )
    else:
        template = _("Plan {number}: {k2} µg K2 of the {need} µg needed (pairs with {d3} D3)")
    return template.format(**fields)


def plan_table(
    number: int, plan: Plan, result: PlanResult, evidence: Evidence, fallbacks: list[str]
) -> Table:
    headers = [_("Food"), _("Amount"), _("Grams"), _("K2 µg")]
    rows = []
    for item in plan.items:
        amount = item.amount
        if item.fallback:
            amount += MARK_FALLBACK
            note = _("{food}: {interpretation}").format(food=item.shown, interpretation=item.fallback)
            if note not in fallbacks:
                fallbacks.append(note)
        name = _("{name} (custom)").format(name=item.shown) if item.is_custom else item.shown
        k2 = evidence.mark(ug(item.k2), item.shown, item.flags, item.coverage_note)
        rows.append([name, amount, grams(item.grams), k2])
    rows.append([_("Total"), "", grams(sum(item.grams for item in plan.items)), ug(plan.k2)])
    return (plan_title(number, plan, result), headers, rows)


def need_lines(result: PlanResult) -> list[str]:
    """What is needed: the dose or target, the meal already eaten and its refused items."""
    ratio = fmt_number(result.ratio_ug_per_10000_iu)
    if result.d3_iu is not None:
        lines = [
            _("{d3} of vitamin D3 calls for {k2} µg K2 at {ratio} µg K2 per 10,000 IU.").format(
                d3=iu(result.d3_iu), k2=ug(result.k2_needed_ug), ratio=ratio
            )
        ]
    else:
        lines = [_("Daily K2 target: {k2} µg.").format(k2=ug(result.k2_needed_ug))]
    if result.eaten is not None:
        eaten = (
            _("The meal already eaten gives {k2} µg K2 (partial: refused items below).")
            if result.partial
            else _("The meal already eaten gives {k2} µg K2.")
        ).format(k2=ug(result.eaten_k2_ug))
        if result.covered:
            eaten += " " + _("That is all the K2 needed: nothing to plan.")
        else:
            eaten += " " + _("{k2} µg are left to plan.").format(k2=ug(result.k2_to_plan_ug))
        lines.append(eaten)
        lines += [
            _("Refused {typed}: {reason}.").format(typed=quoted(item.typed), reason=item.reason)
            for item in result.eaten.skipped
        ]
    return lines


def choice_lines(result: PlanResult) -> list[str]:
    """How the plans were made: the method, the diets, the foods avoided and preferred."""
    lines = [
        _(
            "Each plan has at most {count} foods, each in half-steps of a published serving (½–2 "
            "servings); after each plan, the category of its main food is left out of the next."
        ).format(count=result.max_items)
    ]
    if result.diets:
        lines.append(_("Diet: {diets}.").format(diets=_(", ").join(diet_word(diet) for diet in result.diets)))
    if result.avoid:
        lines.append(_("Avoiding: {words}.").format(words=_(", ").join(quoted(w) for w in result.avoid)))
    if result.like:
        lines.append(_("Preferring: {words}.").format(words=_(", ").join(quoted(w) for w in result.like)))
    if result.like_unused:
        lines.append(
            _("No food of {words} can be planned with these choices.").format(
                words=_(", ").join(quoted(w) for w in result.like_unused)
            )
        )
    if not result.plans and not result.covered:
        lines.append(_("No food can be planned with these choices."))
    return lines


def lower_bound_lines(result: PlanResult) -> list[str]:
    """What '‡' means in a plan, when a plan holds a partial figure (natto's: MK-5, MK-9, MK-10 not
    measured): a lower bound, so the plan still reaches its target."""
    partial = any(item.coverage_note for plan in result.plans for item in plan.items)
    return [_(PARTIAL_IS_LOWER_BOUND).format(mark=MARK_PARTIAL)] if partial else []


def plan_tables(result: PlanResult) -> tuple[list[Table], list[str]]:
    """One table per plan, then: what is needed, the choices, warnings, the safety words, the marks."""
    evidence = Evidence()
    fallbacks: list[str] = []
    tables = [
        plan_table(number, plan, result, evidence, fallbacks) for number, plan in enumerate(result.plans, 1)
    ]
    notes = [*need_lines(result), *choice_lines(result)]
    if not result.include_doubtful:
        notes.append(_(DOUBTFUL_LEFT_OUT))
    notes += lower_bound_lines(result)
    notes += result.warnings
    notes += result.safety
    notes += [fallback_note(text) for text in fallbacks]
    notes += evidence.footnotes()
    return tables, notes


def plan_csv(result: PlanResult) -> str:
    headers = [
        "plan",
        "reaches_target",
        "plan_k2",
        "shortfall_ug",
        "food",
        "name_en",
        "count",
        "unit",
        "grams_per_unit",
        "grams",
        "amount_source",
        "k2",
        "k2_per_100g",
        "fallback",
        "flags",
        "coverage_note",
    ]
    rows: list[list[Any]] = [
        [
            number,
            plan.reaches,
            plan.k2,
            plan.shortfall_ug,
            item.shown,
            item.food,
            item.count,
            item.unit,
            item.grams_per_unit,
            item.grams,
            item.amount_source,
            item.k2,
            item.k2_per_100g,
            item.fallback,
            item.flags,
            item.coverage_note,
        ]
        for number, plan in enumerate(result.plans, 1)
        for item in plan.items
    ]
    return to_csv(headers, rows)
