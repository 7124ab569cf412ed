"""A food as the tables show it: the search (and top) table, a food's profile with its
measurements, the sources; and their CSV."""

from __future__ import annotations

from collections.abc import Sequence

from ..domain.figures import FORM_LABELS, fmt_number
from ..domain.results import FoodProfile, FoodSummary, MeasurementView, SourceSummary
from ..domain.vocabulary import category, stored_note, word
from ..i18n import _
from ..storage.forms import FORMS
from .cells import DASH, Table, food_label, found_as, grams, other_forms, serving, tag_cell, ug
from .data import to_csv
from .marks import MARK_READING, Evidence


def search_table(foods: Sequence[FoodSummary], evidence: Evidence | None = None) -> Table:
    evidence = evidence if evidence is not None else Evidence()
    headers = [
        _("Food"),
        _("Category"),
        _("Tag"),
        "MK-4",
        "MK-7",
        _("K2 µg/100 g"),
        _("Serving"),
        _("K2 µg/serving"),
    ]
    rows = [
        [
            found_as(f),
            category(f.category),
            tag_cell(f.tag, f.main_form),
            ug(f.mk4),
            ug(f.mk7),
            evidence.mark(ug(f.k2_total), f.shown, f.flags, f.coverage_note),
            serving(f.serving_label, f.serving_g),
            ug(f.k2_per_serving),
        ]
        for f in foods
    ]
    return ("", headers, rows)


def search_tables(foods: Sequence[FoodSummary], notes: Sequence[str]) -> tuple[list[Table], list[str]]:
    """The search (or top) table with its notes, then the footnotes of its marks."""
    evidence = Evidence()
    table = search_table(foods, evidence)
    return [table], [*notes, *evidence.footnotes()]


def sources_table(rows: Sequence[SourceSummary]) -> Table:
    return (
        "",
        [_("Source"), _("Figures"), _("Publisher's page"), _("Read from")],
        [[r.citation, str(r.measurements), r.publisher_url or DASH, r.url or DASH] for r in rows],
    )


def search_csv(foods: Sequence[FoodSummary]) -> str:
    fields = [f for f in FoodSummary.__dataclass_fields__ if f not in ("name", "display_name")]
    at = fields.index("main_form") + 1
    fields = [*fields[:at], "tag_meaning", *fields[at:]]
    headers = ["name", "name_en", *fields]  # the same columns in every language
    return to_csv(headers, [[row[h] for h in headers] for row in (f.to_dict() for f in foods)])


def _profile_facts(food: FoodProfile, evidence: Evidence) -> list[list[str]]:
    """The food's facts, one row each; a fact it does not have (None) is no row."""
    facts: list[tuple[str, str | None]] = [
        (_("Food"), food_label(food.shown, food.is_custom)),
        (_("English name"), food.name if food.display_name not in ("", food.name) else None),
        (_("Matched"), _matched(food)),
        (_("Category"), category(food.category)),
        (_("Tag"), _tag(food)),
        *((FORM_LABELS[f], ug(v)) for f, v in food.forms.items() if v is not None),
        (
            _("K2 total µg/100 g"),
            evidence.mark(ug(food.k2_total), food.shown, food.flags, food.coverage_note),
        ),
        (_("Why this figure"), _why(food)),
        (_("K2 range µg/100 g"), _range(food)),
        (_("K1 µg/100 g"), ug(food.k1)),
        (_("Vitamin D3 µg/100 g"), ug(food.vitamin_d3) + _brackets(food.vitamin_d3_source)),
        (
            _("Serving"),
            _("{serving}: {k2} µg K2").format(
                serving=serving(food.serving_label, food.serving_g), k2=ug(food.k2_per_serving)
            ),
        ),
        (_("Source"), _source(food)),
        (_("Publisher's page"), food.publisher_url or DASH),
        (_("Read from"), food.url or DASH),
        (_("Also called"), _(", ").join(food.aliases) if food.aliases else None),
        # your own food's (an import's); a seed food's notes are curation, never shown
        (_("Notes"), food.notes or None),
    ]
    return [[name, value] for name, value in facts if value is not None]


def _matched(food: FoodProfile) -> str | None:
    """How the name typed was read, when it was a reading (a generic word, a typo)."""
    if not food.match_note:
        return None
    return f"'{food.typed}' → {food.shown} [{food.match_note}]{MARK_READING}"


def _brackets(text: str | None) -> str:
    return f" ({text})" if text else ""


def _tag(food: FoodProfile) -> str:
    return tag_cell(food.tag, food.main_form) + (f" ({stored_note(food.tag_note)})" if food.tag_note else "")


def _source(food: FoodProfile) -> str:
    return " ".join(x for x in (food.source, food.locator and f"[{food.locator}]") if x) or DASH


def _why(food: FoodProfile) -> str | None:
    """Why the headline figure is this one, with how far the measurements agree."""
    if not food.headline_reason:
        return None
    reason = stored_note(food.headline_reason)
    if food.independent and food.independent > 1:
        reason += _("; {independent} independent measurements, {agreeing} within a factor of 2 of it").format(
            independent=food.independent, agreeing=food.agreeing
        )
    return reason


def _range(food: FoodProfile) -> str | None:
    """'0.5–8.2 over 3 measurements', when the measurements differ."""
    if not food.k2_range or food.k2_range[0] == food.k2_range[1]:
        return None
    low, high = food.k2_range
    return _("{low}–{high} over {count} measurements").format(
        low=ug(low), high=ug(high), count=len(food.measurements)
    )


def _measurement_row(food: FoodProfile, m: MeasurementView, evidence: Evidence) -> list[str]:
    return [
        m.source,
        m.locator or DASH,
        m.source_food_name or DASH,
        ug(m.forms["mk4"]),
        ug(m.forms["mk7"]),
        other_forms(m.forms),
        evidence.mark(
            ug(m.k2_total),
            food.shown if m.flags == food.flags else f"{m.source}, {m.locator or '—'}",
            m.flags,
            None,
        ),
        ug(m.k1),
        word(m.coverage) or DASH,
        _("yes") if m.counted else _("no: same as {other}").format(other=m.same_as),
    ]


def profile_tables(food: FoodProfile) -> tuple[list[Table], list[str]]:
    evidence = Evidence()
    tables: list[Table] = [("", [_("Field"), _("Value")], _profile_facts(food, evidence))]
    if food.portions:
        tables.append(
            (
                _("Portions"),
                [_("Unit"), _("Grams"), _("As published"), _("Source")],
                [
                    [
                        f"{fmt_number(p.amount)} {word(p.unit)}",
                        grams(p.grams),
                        p.description or DASH,
                        " ".join(x for x in (p.source, p.locator) if x) or DASH,
                    ]
                    for p in food.portions
                ],
            )
        )
    if food.measurements:
        headers = [
            _("Source"),
            _("Code"),
            _("As named there"),
            "MK-4",
            "MK-7",
            _("Other MK"),
            _("Total"),
            "K1",
        ]
        headers += [_("Covers"), _("Counted")]
        rows = [_measurement_row(food, m, evidence) for m in food.measurements]
        tables.append((_("Measurements (µg/100 g)"), headers, rows))
    notes = evidence.footnotes()
    if food.match_note:
        template = (
            _(
                "{mark} '{typed}' is not a name of this food: it was read as a generic word. "
                "Name the food to be sure."
            )
            if food.match == "generic"
            else _(
                "{mark} '{typed}' is not a name of this food: it was read as a typo. "
                "Name the food to be sure."
            )
        )
        notes.append(template.format(mark=MARK_READING, typed=food.typed))
    return tables, notes


def profile_csv(food: FoodProfile) -> str:
    headers = [
        "food",
        "name_en",
        "source",
        "locator",
        "source_food_name",
        "basis",
        *FORMS,
        "total_k2_published",
        "k2_total",
        "k1",
        "vitamin_d3",
        "coverage",
        "counted",
        "same_as",
        "flags",
        "match",
    ]
    reading = food.match_note or food.match
    rows = [
        [
            food.shown,
            food.name,
            m.source,
            m.locator,
            m.source_food_name,
            m.basis,
            *(m.forms[f] for f in FORMS),
            m.total_k2_published,
            m.k2_total,
            m.k1,
            m.vitamin_d3,
            m.coverage,
            "yes" if m.counted else "no",
            m.same_as,
            m.flags,
            reading,  # how the name typed was read (a typo or generic reading says so here too)
        ]
        for m in food.measurements
    ]
    return to_csv(headers, rows)
