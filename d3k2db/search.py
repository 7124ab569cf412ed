"""Finding foods by name: exact names and aliases first, then words, substrings and typos.

Both stored names and the user's term go through ``text.search_key`` (case, accents, plurals), so
'Eggs', 'egg' and 'EGG' are one key. Typos are caught by rapidfuzz, loaded only when needed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from .errors import FoodNotFound, UsageError
from .models import Alias, Food
from .text import search_key

EXACT, WORD_PREFIX, WORD, SUBSTRING = 100.0, 95.0, 90.0, 85.0
FUZZY_CUTOFF = 75.0  # rapidfuzz ratio below which a name is not offered as a typo match
FUZZY_WEIGHT = 0.8  # keeps every typo match below every substring match
SUGGEST_CUTOFF = 65.0  # below this a name is too far from the term to be worth suggesting
FORM_TAGS = {"mk4": "MK-4", "mk7": "MK-7"}


@dataclass(frozen=True)
class Hit:
    food_id: int
    score: float
    matched: str  # the name or alias that matched, as stored


def normalize_form(value: str | None) -> str | None:
    """'mk4', 'MK-4', 'mk-4' → 'MK-4'; None stays None."""
    if value is None:
        return None
    key = value.lower().replace("-", "").replace("_", "").replace(" ", "")
    if key not in FORM_TAGS:
        raise UsageError(f"unknown form {value!r}: use mk4 or mk7")
    return FORM_TAGS[key]


def resolve_category(session: Session, value: str | None) -> str | None:
    """Match a category case- and plural-insensitively against the categories in the database."""
    if value is None:
        return None
    categories = sorted(session.execute(select(Food.category).distinct()).scalars())
    wanted = search_key(value)
    for category in categories:
        if search_key(category) == wanted:
            return category
    raise UsageError(f"unknown category {value!r}; categories: {', '.join(categories)}")


RANKINGS = ("100g", "serving")


def top_foods(
    session: Session,
    *,
    by: str = "100g",
    form: str | None = None,
    category: str | None = None,
    limit: int | None = 20,
) -> list[Food]:
    """Foods ranked by K2 per 100 g or per default serving, richest first."""
    if by not in RANKINGS:
        raise UsageError(f"unknown ranking {by!r}: use 100g or serving")
    if limit is not None and limit < 1:
        raise UsageError("--limit must be at least 1")
    amount = Food.k2_total if by == "100g" else Food.k2_total * Food.serving_g
    statement = _filtered(select(Food), normalize_form(form), resolve_category(session, category))
    statement = statement.where(Food.k2_total.is_not(None)).order_by(amount.desc(), Food.name)
    if limit:
        statement = statement.limit(limit)
    return list(session.execute(statement).scalars())


def _score(key: str, candidate: str) -> float:
    if candidate == key:
        return EXACT
    if candidate.startswith(key + " "):
        return WORD_PREFIX
    if f" {key} " in f" {candidate} ":
        return WORD
    if key in candidate:
        return SUBSTRING
    return 0.0


def _like_pattern(key: str) -> str:
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


MAX_TERM_CHARS = 200  # longer than any food name; keeps typo matching bounded


def check_term(term: str) -> None:
    if len(term) > MAX_TERM_CHARS:
        raise UsageError(f"search term too long ({len(term):,} characters; at most {MAX_TERM_CHARS})")


def find_hits(session: Session, term: str) -> list[Hit]:
    """Every food whose name or alias matches ``term``, best first (one hit per food)."""
    check_term(term)
    key = search_key(term)
    if not key:
        return []
    best: dict[int, Hit] = {}

    def offer(food_id: int, score: float, matched: str) -> None:
        if score <= 0:
            return
        known = best.get(food_id)
        # On a tie keep the shorter name: it is the closer one ('chicken liver' over its full name).
        if (
            known is None
            or score > known.score
            or (score == known.score and len(matched) < len(known.matched))
        ):
            best[food_id] = Hit(food_id, score, matched)

    pattern = _like_pattern(key)
    names = session.execute(
        select(Food.id, Food.search_key, Food.name).where(Food.search_key.like(pattern, escape="\\"))
    )
    aliases = session.execute(
        select(Alias.food_id, Alias.search_key, Alias.alias).where(
            Alias.search_key.like(pattern, escape="\\")
        )
    )
    for food_id, candidate, shown in (*names, *aliases):
        offer(food_id, _score(key, candidate), shown)

    # Typos are looked for only when the term is not found as written, so a plain word like
    # 'egg' is not diluted with look-alike names.
    if not best:
        for food_id, score, shown in _typo_hits(session, key):
            offer(food_id, score, shown)
    return sorted(best.values(), key=lambda hit: -hit.score)


def _typo_hits(session: Session, key: str) -> Iterable[tuple[int, float, str]]:
    """Names within a few edits of the term.

    The term is compared with every run of as many words in a name ('chese' meets the 'cheese'
    of 'blue cheese', 'chiken liver' the start of 'chicken liver, raw'), but never with fewer
    words than it has, so 'buttermilk pancakes' does not match plain 'buttermilk'.
    """
    from rapidfuzz import fuzz, process

    rows = [
        *session.execute(select(Food.id, Food.search_key, Food.name)),
        *session.execute(select(Alias.food_id, Alias.search_key, Alias.alias)),
    ]
    width = len(key.split())
    windows: list[str] = []
    owners: list[int] = []
    for index, (_, candidate, _) in enumerate(rows):
        words = candidate.split()
        for start in range(max(1, len(words) - width + 1)):
            windows.append(" ".join(words[start : start + width]))
            owners.append(index)
    for _, score, position in process.extract(
        key, windows, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=200
    ):
        food_id, _, shown = rows[owners[position]]
        yield food_id, score * FUZZY_WEIGHT, shown


def _filtered(statement: Select[tuple[Food]], tag: str | None, category: str | None) -> Select[tuple[Food]]:
    if tag:
        statement = statement.where(Food.tag == tag)
    if category:
        statement = statement.where(Food.category == category)
    return statement


def search_foods(
    session: Session,
    term: str | None = None,
    *,
    form: str | None = None,
    category: str | None = None,
    limit: int | None = None,
) -> list[Food]:
    """Foods matching ``term`` best first; without a term, every food richest in K2 first.

    Raises FoodNotFound (with the closest names) when a term matches nothing.
    """
    if limit is not None and limit < 1:
        raise UsageError("--limit must be at least 1")
    tag = normalize_form(form)
    category = resolve_category(session, category)
    if term is None or not term.strip():
        statement = _filtered(select(Food), tag, category).order_by(
            Food.k2_total.desc().nulls_last(), Food.name
        )
        if limit:
            statement = statement.limit(limit)
        return list(session.execute(statement).scalars())

    hits = find_hits(session, term)
    rank = {hit.food_id: index for index, hit in enumerate(hits)}
    foods = (
        list(session.execute(_filtered(select(Food).where(Food.id.in_(rank)), tag, category)).scalars())
        if rank
        else []
    )
    score = {hit.food_id: hit.score for hit in hits}
    foods.sort(key=lambda food: (-score[food.id], -(food.k2_total or 0.0), food.name))
    if not foods:
        if hits:  # the term matched, the filters removed everything
            raise FoodNotFound(f"no food matches {_printable(term)} with these filters")
        suggestions = suggest(session, term)
        hint = f" — did you mean {_or_list(suggestions)}?" if suggestions else ""
        raise FoodNotFound(f"no food matches {_printable(term)}{hint}", suggestions)
    return foods[:limit] if limit else foods


def _printable(term: str, limit: int = 60) -> str:
    """The user's term, quoted, with control characters escaped and long input shortened."""
    cleaned = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in term)
    if len(cleaned) > limit:
        cleaned = cleaned[:limit] + "…"
    return f"'{cleaned}'"


def suggest(session: Session, term: str, count: int = 5) -> list[str]:
    """The names closest to ``term``, for 'did you mean' messages."""
    from rapidfuzz import fuzz, process

    key = search_key(term)
    if not key:
        return []
    hits = find_hits(session, term)
    names: list[str] = []
    if hits:
        rows = session.execute(select(Food.id, Food.name).where(Food.id.in_([h.food_id for h in hits])))
        by_id = {food_id: name for food_id, name in rows}
        names = [by_id[h.food_id] for h in hits]
    if len(names) < count:
        all_names = list(session.execute(select(Food.name)).scalars())
        near = process.extract(key, all_names, scorer=fuzz.WRatio, limit=count, score_cutoff=SUGGEST_CUTOFF)
        for name, _, _ in near:
            if name not in names:
                names.append(name)
    return names[:count]


def resolve_food(session: Session, text: str) -> Food:
    """The one food ``text`` names: an exact name or alias, else a clear best match (typo).

    Raises FoodNotFound with suggestions when nothing, or several foods equally, match.
    """
    check_term(text)
    key = search_key(text)
    if key:
        food = session.execute(select(Food).where(Food.search_key == key)).scalar_one_or_none()
        if food is None:
            food = session.execute(
                select(Food).join(Alias).where(Alias.search_key == key)
            ).scalar_one_or_none()
        if food is not None:
            return food
        hits = find_hits(session, text)
        winner = _clear_winner(key, hits) if hits else None
        if winner is not None:
            return session.get_one(Food, winner.food_id)
    suggestions = suggest(session, text) if key else []
    hint = f" — did you mean {_or_list(suggestions)}?" if suggestions else ""
    raise FoodNotFound(f"no food matches {_printable(text)}{hint}", suggestions)


def _clear_winner(key: str, hits: list[Hit]) -> Hit | None:
    """The best hit when it stands out: alone at the top score, or, among equal scores, the one
    whose whole name is clearly closest to the term ('buter' → 'butter', not 'butter, whipped')."""
    from rapidfuzz import fuzz

    top = [hit for hit in hits if hit.score == hits[0].score]
    if top[0].score < 80 * FUZZY_WEIGHT:  # a typo must be at least 80 % similar to be taken
        return None
    if len(top) == 1:
        return top[0] if len(hits) == 1 or top[0].score - hits[1].score >= 8 or top[0].score >= WORD else None
    closeness = sorted(((fuzz.ratio(key, search_key(hit.matched)), hit) for hit in top), key=lambda p: -p[0])
    best, runner_up = closeness[0][0], closeness[1][0]
    return closeness[0][1] if best >= 80 and best - runner_up >= 5 else None


def _or_list(names: list[str]) -> str:
    quoted = [f"'{name}'" for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def count_foods(session: Session) -> int:
    return session.execute(select(func.count(Food.id))).scalar_one()
