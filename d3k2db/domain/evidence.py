"""How much a figure says: what a measurement covers, when it is doubtful, and which one is the headline.

Pure functions over figure mappings (``mk4`` … ``mk10``, ``total_k2_published``: µg/100 g or None),
shared by the seed build (tools/build_data.py), your own foods and the outputs, so the rules are
written once. docs/data.md states them with worked examples.

Coverage of a measurement:
``complete``  every menaquinone MK-4 … MK-10 measured (0 counts as measured)
``total``     a total K2 published without its forms
``partial``   some forms only: the others were not measured (SR28: MK-4 only)

Flags (a figure may carry several, each with its reason): ``doubtful`` (its source or a documented
audit doubts it), ``outlier`` (:func:`outlier_reason`), ``derived`` (imputed or calculated by the
table, not analysed, or borrowed from another food), ``other product`` (measured on another product
than the food named); and on a food, ``uncertain`` (:func:`spread`: its measurements disagree more
than five-fold).

Kinds of food (:func:`food_kind`) decide what a measurement covers: in animal tissue MK-4 *is*
essentially all of the K2, so an MK-4 figure counts as the food's K2; in bacterially fermented foods
the long-chain forms vary, so the measurement resolving the most forms is preferred.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..storage.forms import FORMS
from .figures import FORM_LABELS

COMPLETE, TOTAL, PARTIAL = "complete", "total", "partial"
FLAG_KINDS = ("doubtful", "outlier", "derived", "other product", "uncertain")
ANIMAL, FERMENTED = "animal", "fermented"
#: A fermented food's measurement resolving at least this many forms outranks a published total.
RESOLVED_FORMS = 3
#: The counted measurements of a food differing more than this factor make the food uncertain.
UNCERTAIN_FACTOR = 5.0

#: A figure this many times the median of the other measurements of the same food (or that median
#: this many times the figure) is an outlier, when the larger of the two is at least OUTLIER_FLOOR.
OUTLIER_FACTOR_FOOD = 5.0
#: A food measured once whose figure is this many times the median figure of its category.
OUTLIER_FACTOR_GROUP = 10.0
OUTLIER_FLOOR = 1.0  # µg/100 g: below this, ratios between tiny figures mean nothing
#: Measurements within this factor of the headline count as agreeing with it.
AGREEMENT_FACTOR = 2.0


def measured_forms(figures: Mapping[str, float | None]) -> list[str]:
    return [form for form in FORMS if figures.get(form) is not None]


def coverage(figures: Mapping[str, float | None]) -> str:
    forms = measured_forms(figures)
    if len(forms) == len(FORMS):
        return COMPLETE
    if not forms and figures.get("total_k2_published") is not None:
        return TOTAL
    return PARTIAL


def coverage_note(figures: Mapping[str, float | None], kind: str | None = None) -> str | None:
    """'MK-4 only; MK-5 … MK-10 not measured' for a partial measurement; None otherwise — and None
    for an MK-4 figure of animal tissue (``kind`` ANIMAL), whose K2 it is (docs/data.md)."""
    if coverage(figures) != PARTIAL or (kind == ANIMAL and whole(figures, kind)):
        return None
    forms = measured_forms(figures)
    if not forms:
        return None
    from ..i18n import _  # read at display time, in the chosen language (never stored)

    missing = [FORM_LABELS[f] for f in FORMS if f not in forms]
    labels = [FORM_LABELS[f] for f in forms]
    shown = _("{first} and {second}").format(first=labels[0], second=labels[1]) if len(labels) == 2 else None
    shown = shown or _(", ").join(labels)
    return _("{forms} only; {missing} not measured").format(forms=shown, missing=_(", ").join(missing))


def k2_of(figures: Mapping[str, float | None]) -> float | None:
    """Sum of the published forms, else the published total (the README's rule)."""
    forms = [figures[f] for f in measured_forms(figures)]
    if forms:
        return round(sum(v for v in forms if v is not None), 6)
    return figures.get("total_k2_published")


def food_kind(category: str, name: str) -> str | None:
    """ANIMAL (meat, offal, eggs, poultry, fish, non-fermented dairy and animal fat), FERMENTED
    (cheese, fermented soy and vegetables, fermented milks), or None (plants, dishes, drinks …)."""
    from .figures import ANIMAL_CATEGORIES, FERMENTED_CATEGORIES, FERMENTED_DAIRY_WORDS

    category, name = category.casefold(), name.casefold()
    if category in FERMENTED_CATEGORIES or (
        category == "dairy" and any(word in name for word in FERMENTED_DAIRY_WORDS)
    ):
        return FERMENTED
    if category in ANIMAL_CATEGORIES:
        return ANIMAL
    return None


def whole(figures: Mapping[str, float | None], kind: str | None) -> bool:
    """Does the measurement stand for the food's whole K2? Complete and total ones do; in animal
    tissue so does any with MK-4; in a fermented food so does one resolving RESOLVED_FORMS forms."""
    if coverage(figures) != PARTIAL:
        return True
    if kind == ANIMAL:
        return figures.get("mk4") is not None
    if kind == FERMENTED:
        return len(measured_forms(figures)) >= RESOLVED_FORMS
    return False


def _rank(figures: Mapping[str, float | None], kind: str | None) -> int:
    """Lower is preferred. Fermented: complete, then most forms resolved (≥ RESOLVED_FORMS), then a
    total, then fewer forms. Other kinds: whole before partial."""
    cover = coverage(figures)
    if kind != FERMENTED:
        return 0 if whole(figures, kind) else 1
    if cover == COMPLETE:
        return 0
    forms = len(measured_forms(figures))
    if forms >= RESOLVED_FORMS:
        return len(FORMS) - forms  # 1 … 4
    if cover == TOTAL:
        return len(FORMS)
    return 2 * len(FORMS) - forms


def main_form(measurements: Sequence[Mapping[str, float | None]]) -> str | None:
    """The largest form ('mk9') among the measurements that measured more than one form; the one
    measuring the most forms decides. None when no measurement tells forms apart (SR28's MK-4
    only, totals)."""
    telling = [m for m in measurements if len(measured_forms(m)) > 1 and (k2_of(m) or 0) > 0]
    if not telling:
        return None
    best = max(telling, key=lambda m: (len(measured_forms(m)), k2_of(m) or 0.0))
    return max(measured_forms(best), key=lambda form: best[form] or 0.0)


def tag_for(kind: str | None, main: str | None, k2_max: float | None) -> tuple[str | None, str | None]:
    """(tag, note). The tag is the food's kind — MK-4 for animal tissue, MK-7 for the bacterial
    long-chain menaquinones — as the design card has it; where the largest measured form belongs to
    the other kind, the note says so. No tag when no K2 above 0 was measured."""
    if not k2_max:
        return None, None
    if main is None or not kind:  # no kind (a dish known by a total): no tag, nothing to contradict
        return kind or None, None
    measured = "MK-4" if main == "mk4" else "MK-7"
    if measured != kind:
        family = "an animal-tissue" if measured == "MK-4" else "a bacterial long-chain"
        return (
            kind,
            f"its largest measured form is {FORM_LABELS[main]}, {family} form; tagged {kind} by its kind",
        )
    return kind, None


def outlier_reason(
    value: float, others: Sequence[float], group_median: float | None, group: str
) -> str | None:
    """The outlier rule (docs/data.md): with at least two other comparable measurements of the
    food, five-fold off their median; for a food's only measurement (``group_median`` given),
    ten-fold above the median figure of the food's category. Two or three measurements that
    cannot say which one is off are left to :func:`spread`."""
    if len(others) >= 2:
        middle = statistics.median(others)
        high, low = max(value, middle), min(value, middle)
        if high >= OUTLIER_FLOOR and high >= OUTLIER_FACTOR_FOOD * max(
            low, OUTLIER_FLOOR / OUTLIER_FACTOR_FOOD
        ):
            return (
                f"{_fmt(value)} µg/100 g against {_fmt(middle)} for the food's other measurements "
                f"(median): {'above' if value > middle else 'below'} them {high / max(low, 1e-9):.0f}-fold"
                if low > 0
                else f"{_fmt(value)} µg/100 g against {_fmt(middle)} for the food's other measurements"
            )
        return None
    if (
        group_median is not None
        and value >= OUTLIER_FLOOR
        and value >= OUTLIER_FACTOR_GROUP * max(group_median, 0.1)
    ):
        return (
            f"{_fmt(value)} µg/100 g is {value / max(group_median, 0.1):.0f} times the median of "
            f"{group} foods ({_fmt(group_median)}), with no two other measurements of the food to compare"
        )
    return None


def _fmt(value: float) -> str:
    return f"{value:g}"


@dataclass
class Candidate:
    """One measurement as the headline rule sees it."""

    key: object  # anything that identifies it to the caller
    figures: Mapping[str, float | None]
    source: str
    locator: str
    counted: bool = True  # False: it repeats another measurement of the same publication (same value)
    flags: list[str] = field(default_factory=list)  # 'kind: reason'

    @property
    def k2(self) -> float:
        return k2_of(self.figures) or 0.0

    @property
    def coverage(self) -> str:
        return coverage(self.figures)


@dataclass(frozen=True)
class Headline:
    chosen: Candidate
    reason: str  # one line: why this figure
    independent: int  # counted measurements
    agreeing: int  # counted measurements within AGREEMENT_FACTOR of the headline
    flagged: bool  # the headline itself carries flags (no unflagged measurement exists)


def choose_headline(candidates: Sequence[Candidate], kind: str | None = None) -> Headline:
    """The headline: one published figure, never an average.

    1. Only counted measurements (one per publication and value; a reprint counts under its origin,
       an earlier edition of a table gives way to the current one).
    2. Unflagged ones if any exist; flagged ones only when every measurement is flagged.
    3. Among those, the best covering (:func:`_rank`): for animal tissue an MK-4 figure counts as the
       food's K2; for a fermented food the measurement resolving the most forms; else totals and
       complete measurements before partial ones.
    4. The lower median by K2 total (sorted by K2, source, locator; index (n-1)//2).
    """
    counted = [c for c in candidates if c.counted] or list(candidates)
    unflagged = [c for c in counted if not c.flags]
    pool = unflagged or counted
    best = min(_rank(c.figures, kind) for c in pool)
    chosen_from = [c for c in pool if _rank(c.figures, kind) == best]
    ordered = sorted(chosen_from, key=lambda c: (c.k2, c.source, c.locator))
    chosen = ordered[(len(ordered) - 1) // 2]
    agreeing = sum(1 for c in counted if _agrees(c.k2, chosen.k2))
    reason = _reason(chosen, counted, pool, chosen_from, kind)
    return Headline(chosen, reason, len(counted), agreeing, bool(chosen.flags))


def spread(
    candidates: Sequence[Candidate], chosen: Candidate, kind: str | None = None
) -> tuple[float, float] | None:
    """(low, high) of the counted measurements comparable with the headline when they differ more
    than UNCERTAIN_FACTOR-fold; None when they agree.

    Comparable: those standing for the whole K2 (:func:`whole`); when the headline itself is partial,
    also those measuring its largest form (tempeh: Taiwan's MK-4 + MK-7 beside K2viewer's forms).
    Doubtful figures are included (a doubt is no reason to hide a disagreement); outliers are not: the
    outlier rule has already named the odd one out of three or more, and the rest agree. Figures
    below OUTLIER_FLOOR count as OUTLIER_FLOOR for the ratio."""
    forms = measured_forms(chosen.figures)
    top = None
    if forms and not whole(chosen.figures, kind):
        top = max(forms, key=lambda f: chosen.figures[f] or 0.0)
    values = [
        c.k2
        for c in candidates
        if c.counted
        and not any(flag.startswith("outlier:") for flag in c.flags)
        and (whole(c.figures, kind) or (top is not None and c.figures.get(top) is not None))
    ]
    if len(values) < 2:
        return None
    low, high = min(values), max(values)
    if high > UNCERTAIN_FACTOR * max(low, OUTLIER_FLOOR):
        return low, high
    return None


def uncertain_reason(low: float, high: float) -> str:
    times = high / max(low, OUTLIER_FLOOR)
    return f"measurements of this food range from {_fmt(low)} to {_fmt(high)} µg/100 g ({times:.0f}-fold)"


def _agrees(value: float, headline: float) -> bool:
    if value == headline:
        return True
    low, high = min(value, headline), max(value, headline)
    return low > 0 and high / low <= AGREEMENT_FACTOR


ANIMAL_NOTE = "in animal tissue an MK-4 figure counts as its K2"


def _pool_label(
    chosen: Candidate, counted: list[Candidate], chosen_from: list[Candidate], kind: str | None
) -> str:
    """What set the headline was chosen from, when it is narrower than every counted measurement."""
    if len(chosen_from) == len(counted):
        return ""
    if kind == FERMENTED:
        return "resolving the most forms"
    if kind == ANIMAL and any(c.coverage == PARTIAL for c in chosen_from):
        return ""  # said in a part of its own: ANIMAL_NOTE
    return "total or complete " if chosen.coverage != PARTIAL else ""


def _reason(
    chosen: Candidate,
    counted: list[Candidate],
    pool: list[Candidate],
    chosen_from: list[Candidate],
    kind: str | None = None,
) -> str:
    n = len(chosen_from)
    label = _pool_label(chosen, counted, chosen_from, kind)
    before, after = ("", f" {label}") if kind == FERMENTED and label else (label, "")
    unflagged = "unflagged " if len(pool) < len(counted) else ""
    if len(counted) == 1:
        parts = ["the only measurement"]
    elif n == 1:
        parts = [f"the only {unflagged}{before}measurement{after}"]
    else:
        parts = [f"the lower median of {n} {unflagged}{before}measurements{after}"]
    if kind == ANIMAL and any(c.coverage == PARTIAL for c in chosen_from) and len(counted) > 1:
        parts.append(ANIMAL_NOTE)
    left = []
    partial = len(pool) - len(chosen_from)
    if partial:
        left.append(
            f"{partial} resolving fewer forms"
            if kind == FERMENTED
            else f"{partial} partial (some forms only)"
        )
    if len(counted) - len(pool):
        left.append(f"{len(counted) - len(pool)} flagged")
    if len(counted) > 1 and left:
        parts.append(f"{' and '.join(left)} not used")
    if chosen.flags:
        parts.append("every measurement is flagged" if len(counted) > 1 else "flagged")
    if not whole(chosen.figures, kind):
        parts.append("no total or complete measurement exists")
    return "; ".join(parts)


OWN_REASON = "the only measurement: your own figures"


def own_measurement(figures: Mapping[str, float | None]) -> dict[str, object]:
    """The evidence columns of the one measurement behind your own food (add, import, FDC import)."""
    return {"coverage": coverage(figures), "counted": True, "same_as": None, "flags": None}


def own_food(figures: Mapping[str, float | None]) -> dict[str, object]:
    """The evidence columns of your own food: its one measurement is its headline."""
    main = main_form([figures])
    return {
        "coverage": coverage(figures),
        "flags": None,
        "main_form": FORM_LABELS[main] if main else None,
        "independent": 1,
        "agreeing": 1,
        "headline_reason": OWN_REASON,
        "tag_note": None,
    }
