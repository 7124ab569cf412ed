"""Choosing the amounts: a small mixed-integer program, solved by SciPy's ``milp`` (HiGHS).

One binary variable per amount a candidate food may take (``candidates.Serving.counts``); at most
one amount of one food of each kind (``Candidate.kind``: no butter beside whipped butter) and at
most ``max_items`` foods. Reaching the K2 needed is a hard constraint;
among the plans that reach it, the objective is

    overshoot (µg above the need)  +  ITEM_COST × need per food used
                                   +  WEIGHT_COST × need per 100 g of food

so a plan adds a food only when that saves more than a tenth of the need in overshoot, and of two
plans the lighter wins (a slice of cheese before two cups of cream). A liked food costs no item, and
with ``like`` a plan holds at least one liked food when any can be used.
Each food gives at least MIN_SHARE of the need (no pinch of a food to top a plan up). When no plan
reaches the need, the plan giving the most K2 less the same costs is taken and its shortfall stated.

Alternatives (:func:`alternatives`): after each plan, the category of its main food (the item
giving the most K2) is left out of the next plans, so the plans differ — a cheese, then a poultry,
then a fermented soy food, not five variants of one food. A plan that falls short of the need is
the last one: without the categories already used, the next could only fall shorter.
SciPy is imported here only, when a plan is made.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .candidates import Candidate

ITEM_COST = 0.1  # share of the need one more food must save in overshoot
WEIGHT_COST = 0.05  # share of the need 100 g more food must save: the lighter of two plans wins
MIN_SHARE = 0.1  # a food in a plan gives at least this share of the need (no pinch of a food)
TIME_LIMIT_S = 5.0  # HiGHS stops at this time with its best plan (never reached on the shipped data)


@dataclass(frozen=True)
class Chosen:
    """One item of a solved plan: the candidate and how many of its units."""

    candidate: Candidate
    count: float

    @property
    def k2(self) -> float:
        return self.count * self.candidate.k2_per_unit


def _options(candidates: Sequence[Candidate], need: float) -> list[tuple[int, float, float]]:
    """(candidate index, count, µg) of the amounts worth choosing: each giving at least
    MIN_SHARE of ``need`` and below it, and the smallest reaching it (a larger one only adds
    overshoot and weight)."""
    options = []
    for i, candidate in enumerate(candidates):
        for count, k2 in candidate.amounts():
            if k2 >= MIN_SHARE * need:
                options.append((i, count, k2))
            if k2 >= need:
                break
    return options


def _undominated(food: Any, kind: Any, k2: Any, cost: Any, liked: Any, max_items: int) -> Any:
    """The options no plan needs to do without: an option is left out when other foods of
    ``max_items`` kinds each have an option giving at least as much K2 at no more cost (then one of
    those kinds is free to take its place in any plan, which stays as good). Liked foods stay."""
    import numpy as np

    order = np.lexsort((np.arange(len(k2)), cost, -k2))  # more K2 first, then cheaper, then first
    rank = np.empty(len(k2), dtype=int)
    rank[order] = np.arange(len(k2))
    # better[a, b]: a gives at least b's K2 at no more cost, and comes before b (ties broken once)
    better = (k2[:, None] >= k2[None, :]) & (cost[:, None] <= cost[None, :]) & (rank[:, None] < rank[None, :])
    better &= food[:, None] != food[None, :]
    keep = liked.copy()
    for column in np.flatnonzero(~liked):
        keep[column] = len(np.unique(kind[better[:, column]])) < max_items
    return keep


def _solve(candidates: Sequence[Candidate], need: float, max_items: int, reach: bool) -> list[Chosen] | None:
    """The best plan: reaching ``need`` at the least cost (``reach``), else giving the most K2.
    None when there is no plan (nothing to choose, or ``need`` cannot be reached)."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    options = _options(candidates, need)
    if not options:
        return None
    food = np.array([i for i, _count, _value in options])
    k2 = np.array([value for _i, _count, value in options])
    grams = np.array([count * candidates[i].serving.grams for i, count, _value in options])
    liked = np.array([candidates[i].liked for i in food], dtype=bool)
    weight = WEIGHT_COST * need * grams / 100.0
    if reach:
        cost = k2 + weight + np.where(liked, 0.0, ITEM_COST * need)
    else:  # the most K2 less the same costs: a food or 100 g more must add that much K2
        cost = -k2 + weight + np.where(liked, 0.0, ITEM_COST * need)
    kinds = {kind: row for row, kind in enumerate(dict.fromkeys(c.kind for c in candidates))}
    kind = np.array([kinds[candidates[i].kind] for i in food], dtype=int)
    kept = np.flatnonzero(_undominated(food, kind, k2, cost, liked, max_items))
    kind, k2, cost, liked = kind[kept], k2[kept], cost[kept], liked[kept]
    columns = np.arange(len(kept))
    items_row, liked_row = len(kinds), len(kinds) + 1
    matrix = coo_matrix(  # one amount of one food per kind; max_items foods; liked foods
        (
            np.ones(2 * len(kept) + int(liked.sum())),
            (
                np.concatenate([kind, np.full(len(kept), items_row), np.full(liked.sum(), liked_row)]),
                np.concatenate([columns, columns, columns[liked]]),
            ),
        ),
        shape=(len(kinds) + 2, len(kept)),
    )
    lower = np.zeros(len(kinds) + 2)
    upper = np.ones(len(kinds) + 2)
    lower[items_row] = 1.0  # a plan has a food: this cut gives HiGHS a tight bound at once
    upper[items_row] = upper[liked_row] = max_items
    if liked.any():
        lower[liked_row] = 1.0
    constraints = [LinearConstraint(matrix.tocsr(), lower, upper)]
    if reach:
        constraints.append(LinearConstraint(k2.reshape(1, -1), need, np.inf))
    result = milp(
        cost,
        constraints=constraints,
        integrality=np.ones(len(kept)),
        bounds=Bounds(0, 1),
        options={"time_limit": TIME_LIMIT_S},
    )
    if result.x is None:
        return None
    picked = [options[kept[column]] for column in np.flatnonzero(result.x > 0.5)]
    return [Chosen(candidates[i], count) for i, count, _value in picked] or None


def best_plan(candidates: Sequence[Candidate], need: float, max_items: int) -> list[Chosen] | None:
    """The plan reaching ``need`` µg with the least overshoot and fewest foods, else the richest."""
    return _solve(candidates, need, max_items, reach=True) or _solve(candidates, need, max_items, reach=False)


def alternatives(
    candidates: Sequence[Candidate], need: float, max_items: int, count: int
) -> list[list[Chosen]]:
    """Up to ``count`` plans, each without the categories of the earlier plans' main foods; a plan
    that falls short of ``need`` is the last (the ones after it could only fall shorter)."""
    plans: list[list[Chosen]] = []
    left_out: set[str] = set()
    for _ in range(count):
        usable = [c for c in candidates if c.food.category not in left_out]
        plan = best_plan(usable, need, max_items)
        if not plan:
            break
        plan.sort(key=lambda chosen: (-chosen.k2, chosen.candidate.food.name))
        plans.append(plan)
        if sum(chosen.k2 for chosen in plan) < need - 1e-9:
            break
        left_out.add(plan[0].candidate.food.category)
    return plans
