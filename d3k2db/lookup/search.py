"""Finding foods by name: exact names and aliases first, then words, substrings and typos.

Both stored names and the user's term go through ``text.search_key`` (case, accents, plurals), so
'Eggs', 'egg' and 'EGG' are one key. Typos are caught by rapidfuzz, loaded only when needed.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..domain.figures import tag_spelling
from ..domain.text import search_key
from ..errors import UsageError
from ..i18n import _
from ..storage import reads
from ..storage.forms import MAX_NAME
from ..storage.reads import Record
from .wordlists import generics, no_k2_figure_message

if TYPE_CHECKING:
    from ..storage.reads import Reader

EXACT, WORD_PREFIX, WORD, SUBSTRING, ALL_WORDS = 100.0, 95.0, 90.0, 85.0, 82.0
FUZZY_CUTOFF = 75.0  # rapidfuzz ratio below which a name is not offered as a typo match
FUZZY_WEIGHT = 0.8  # keeps every typo match below every substring match
WORD_CUTOFF = 70.0  # each word of a multi-word typo must be at least this close to its counterpart
SUGGEST_CUTOFF = 65.0  # below this a name is too far from the term to be worth suggesting


@dataclass(frozen=True)
class Hit:
    food_id: int
    score: float
    matched: str  # the name or alias that matched, as stored
    k2: float = 0.0  # the food's K2 per 100 g, to order equally good matches richest first


# (food id, stored key, name shown, K2 per 100 g) for one name or alias
NameRow = tuple[int, str, str, float]
TERM_LIMIT = 25  # a search shows the best 25 matches unless asked for more
CANDIDATES = 500  # names read per lookup: the richest matches when a word is in thousands of names


def normalize_form(value: str | None) -> str | None:
    """'mk4', 'MK-4', 'mk-4' → 'MK-4'; None stays None."""
    if value is None:
        return None
    tag = tag_spelling(value)
    if tag is None:
        raise UsageError(_("unknown form {value}: use mk4 or mk7").format(value=repr(value)))
    return tag


def category_names(connection: Reader) -> list[str]:
    """The categories the database's foods use, sorted."""
    return sorted(reads.scalars(connection, reads.CATEGORIES))


def resolve_category(connection: Reader, value: str | None) -> str | None:
    """Match a category case- and plural-insensitively against the categories in the database, by
    its code ('cheese') or its name in the chosen language ('起司')."""
    from ..domain.vocabulary import category as category_name

    if value is None:
        return None
    categories = category_names(connection)
    wanted = search_key(value)
    for category in categories:
        if wanted in (search_key(category), search_key(category_name(category))):
            return category
    listed = [c if category_name(c) == c else f"{c} ({category_name(c)})" for c in categories]
    raise UsageError(
        _("unknown category {value}; categories: {categories}").format(
            value=repr(value), categories=_(", ").join(listed)
        )
    )


RANKINGS = ("100g", "serving")


def top_foods(
    connection: Reader,
    *,
    by: str = "100g",
    form: str | None = None,
    category: str | None = None,
    limit: int | None = 20,
    include_flagged: bool = False,
) -> list[Record]:
    """Foods ranked by K2 per 100 g or per default serving, richest first; foods whose headline
    figure is flagged as doubtful (no unflagged measurement exists) only with ``include_flagged``."""
    if by not in RANKINGS:
        raise UsageError(_("unknown ranking {value}: use 100g or serving").format(value=repr(by)))
    if limit is not None and limit < 1:
        raise UsageError(_("limit must be at least 1"))
    tag, category = normalize_form(form), resolve_category(connection, category)
    conditions = [*_filters(tag, category), reads.HAS_K2, *([] if include_flagged else [reads.UNFLAGGED])]
    statement = reads.where(reads.FOOD_ROW, conditions)
    statement += reads.BY_K2_PER_100G if by == "100g" else reads.BY_K2_PER_SERVING
    return reads.rows(
        connection, statement + (reads.LIMIT if limit else ""), tag=tag, category=category, limit=limit
    )


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


MAX_TERM_CHARS = MAX_NAME  # the longest food name or alias; keeps typo matching bounded


def check_term(term: str) -> None:
    if len(term) > MAX_TERM_CHARS:
        raise UsageError(
            _("search term too long ({count} characters; at most {limit})").format(
                count=f"{len(term):,}", limit=MAX_TERM_CHARS
            )
        )


def find_hits(connection: Reader, term: str, candidates: int | None = None) -> list[Hit]:
    """The foods whose name or alias matches ``term``, best first (one hit per food).

    Equally good matches come richest in K2 first. When a term is in more than ``candidates``
    names (a million-food database), the richest ``candidates`` (default CANDIDATES) are ranked.
    """
    candidates = candidates or CANDIDATES
    check_term(term)
    key = search_key(term)
    if not key:
        return []
    best: dict[int, Hit] = {}
    for row in _exact_rows(connection, key):
        _offer(best, row, EXACT)
    for row in _substring_rows(connection, key, candidates):
        _offer(best, row, _score(key, row[1]))
    if not best:
        for row in _all_words_rows(connection, key, candidates):
            _offer(best, row, ALL_WORDS)
    # Typos are looked for only when the term is not found as written, so a plain word like
    # 'egg' is not diluted with look-alike names.
    if not best:
        for row, score in _typo_hits(connection, key):
            _offer(best, row, score)
    return sorted(best.values(), key=lambda hit: (-hit.score, -hit.k2))


def _offer(best: dict[int, Hit], row: NameRow, score: float) -> None:
    """Make ``row`` its food's hit in ``best`` when it scores above 0 and better than the hit so far."""
    food_id, _key, shown, k2 = row
    if score <= 0:
        return
    known = best.get(food_id)
    # On a tie keep the shorter name: it is the closer one ('chicken liver' over its full name).
    if known is None or score > known.score or (score == known.score and len(shown) < len(known.matched)):
        best[food_id] = Hit(food_id, score, shown, k2)


def _all_words_rows(connection: Reader, key: str, candidates: int) -> list[NameRow]:
    """Every word present, in any order: 'homemade natto' finds 'natto, homemade'."""
    words = key.split()
    if len(words) < 2:
        return []
    rows = _substring_rows(connection, max(words, key=len), candidates)
    return [row for row in rows if all(word in row[1] for word in words)]


def _has_name_index(connection: Reader) -> bool:
    """SQLite databases at schema 0002+ have the FTS5 trigram table (unless FTS5 was missing)."""
    if reads.dialect(connection) != "sqlite":
        return False
    return reads.first(connection, reads.NAME_INDEX_EXISTS) is not None


def _rows(connection: Reader, statements: tuple[str, ...], **params: object) -> list[NameRow]:
    """Names and aliases (with their food's K2, 0.0 when not published) the statements read."""
    return [
        (f, k, n, k2 or 0.0)
        for statement in statements
        for f, k, n, k2 in reads.values(connection, statement, **params)
    ]


def _exact_rows(connection: Reader, key: str) -> list[NameRow]:
    return _rows(connection, (reads.NAMES + reads.NAME_IS, reads.ALIAS_NAMES + reads.ALIAS_IS), key=key)


def _substring_rows(connection: Reader, key: str, limit: int) -> list[NameRow]:
    """The names and aliases containing ``key``: the ``limit`` richest in K2.

    SQLite: the FTS5 trigram table, whose rowids are ordered by K2 (migration 0002), read
    backwards with a LIMIT. PostgreSQL: LIKE answered by the pg_trgm GIN indexes.
    """
    if _has_name_index(connection):
        if len(key) >= 3:  # a trigram phrase: matched from the index alone
            where, value = reads.NAME_INDEX_MATCH, '"' + key.replace('"', '""') + '"'
        elif len(key) == 2 and key.isascii() and key.isalnum():
            # Two letters cannot be a trigram, but every longer key holding them holds one of the
            # trigrams they start or end: "tr" is "tra" OR … OR " tr" (docs/performance.md: 60-80 ms
            # → 3 ms at 1M). Not found: a pair whose only neighbours are non-Latin letters ('納豆mk').
            ends = "abcdefghijklmnopqrstuvwxyz0123456789 "
            trigrams = {key + c for c in ends} | {c + key for c in ends}
            where, value = reads.NAME_INDEX_MATCH, " OR ".join(f'"{t}"' for t in sorted(trigrams))
        elif key.isascii():
            where, value = reads.NAME_INDEX_LIKE, _like_pattern(key)
        else:
            # SQLite 3.40's trigram table answers LIKE with no rows for a pattern under 3 characters
            # but of 3 bytes or more ('%肝%', '%乳酪%'): a short Chinese term is looked for with
            # instr, among the keys that hold such characters (storage/reads.py).
            found = reads.values(connection, reads.WIDE_KEYS_CONTAINING, value=key, limit=limit)
            return [tuple(row) for row in found]
        statement = reads.NAME_INDEX.format(where=where)
        return [tuple(row) for row in reads.values(connection, statement, value=value, limit=limit)]
    statements = (reads.NAMES + reads.NAME_LIKE, reads.ALIAS_NAMES + reads.ALIAS_LIKE)
    return _rows(
        connection,
        tuple(s + reads.RICHEST_LIMIT for s in statements),
        pattern=_like_pattern(key),
        limit=limit,
    )


SMALL_DATABASE = 20_000  # up to this many foods, typos are matched against every name directly
MAX_TYPO_ROWS = 500  # names read per candidate word on a large database (the richest)
MAX_CORRECTIONS = 6  # corrected spellings of a term tried on a large database
CORRECTED_ROWS = 100  # names read per corrected spelling (the richest)


def _typo_hits(connection: Reader, key: str) -> Iterable[tuple[NameRow, float]]:
    """Names within a few edits of the term.

    On a small database every name is compared; on a large one only the names that the term's
    corrected spellings lead to (``_indexed_typo_rows``).
    """
    size = reads.scalar(connection, reads.LAST_FOOD_ID) or 0
    if size <= SMALL_DATABASE:
        found = _rows(connection, (reads.NAMES, reads.ALIAS_NAMES))
    else:
        found = indexed_typo_rows(connection, key)
    yield from _window_scores(key, found)


def indexed_typo_rows(connection: Reader, key: str) -> list[NameRow]:
    """The names worth comparing with a mistyped term on a large database.

    1. Each mistyped word gets up to three stored words, closest first: those one edit away
       (the typo index, storage/search_index.py), else the most alike of all stored words.
    2. Each corrected spelling ('buter' → 'butter', 'smokd salmn' → 'smoked salmon') is looked up
       like a term typed right: names and aliases that are exactly it, and for one word the
       richest names containing it. So the seed's 'butter' is found even when thousands of
       richer names contain 'buttermilk'.
    3. When that gives fewer foods than a page, the richest names holding the corrections of the
       rarest mistyped word follow.
    """
    from rapidfuzz import fuzz, process

    from ..storage.search_index import indexed_words, near_words, typo_words

    mistyped = typo_words(key)
    options: list[list[str]] = []
    rarest: set[str] | None = None
    vocabulary: list[str] | None = None
    for word in key.split():
        near = near_words(connection, word) if word in mistyped else set()
        if word in mistyped and not near:
            # Two edits or more ('mozarela'): compare with every distinct word, which is far
            # fewer than the names (4,300 words for the benchmark's million foods).
            vocabulary = vocabulary if vocabulary is not None else indexed_words(connection)
            found = process.extract(word, vocabulary, scorer=fuzz.ratio, score_cutoff=WORD_CUTOFF, limit=3)
            near = {candidate for candidate, _score, _index in found}
        if not near or word in near:  # a word the index knows as typed stays as typed
            options.append([word])
            continue
        options.append(sorted(near, key=lambda n: (-fuzz.ratio(word, n), n))[:3])
        if rarest is None or len(near) < len(rarest):
            rarest = near  # the rarest word narrows the names most
    if rarest is None:
        return []
    rows: list[NameRow] = []
    for words in itertools.islice(itertools.product(*options), MAX_CORRECTIONS):
        corrected = " ".join(words)
        rows += _exact_rows(connection, corrected)
        if len(words) == 1:  # a phrase of common words can be slow to find as a substring (FTS5)
            rows += _substring_rows(connection, corrected, CORRECTED_ROWS)
    if len({row[0] for row in rows}) < TERM_LIMIT:
        for word in sorted(rarest)[:20]:
            rows += _substring_rows(connection, word, MAX_TYPO_ROWS)
    return rows


def _window_scores(key: str, rows: list[NameRow]) -> Iterable[tuple[NameRow, float]]:
    """Compare the term with every run of as many words in each name.

    'chese' meets the 'cheese' of 'blue cheese' and 'chiken liver' the start of 'chicken liver,
    raw', but a name is never compared with fewer words than the term has, so 'buttermilk
    pancakes' does not match plain 'buttermilk'.
    """
    from rapidfuzz import fuzz, process

    width = len(key.split())
    windows: list[str] = []
    owners: list[int] = []
    for index, row in enumerate(rows):
        words = row[1].split()
        for start in range(max(1, len(words) - width + 1)):
            windows.append(" ".join(words[start : start + width]))
            owners.append(index)
    typed = key.split()
    for window, score, position in process.extract(
        key, windows, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=200
    ):
        # every word must be a near miss of its counterpart: 'farm gouda' is not 'aged gouda'
        if all(fuzz.ratio(a, b) >= WORD_CUTOFF for a, b in zip(typed, window.split(), strict=False)):
            row = rows[owners[position]]
            # ties go to the name closest as a whole: 'buter' → 'butter' before 'butter, whipped'
            yield row, score * FUZZY_WEIGHT + fuzz.ratio(key, row[1]) / 1000


def _filters(tag: str | None, category: str | None) -> list[str]:
    """The conditions of the form and category filters (their values are bound as :tag, :category)."""
    return [*([reads.WITH_TAG] if tag else []), *([reads.IN_CATEGORY] if category else [])]


def _hit_rows(
    connection: Reader, hits: list[Hit], tag: str | None, category: str | None, wanted: int
) -> list[tuple[Record, Hit]]:
    """Full rows for the best hits, each with its hit. The hits' flags are read a batch at a time
    until enough pass the filters, then the full rows of the chosen ones only (at 1M foods, full
    rows for a batch of 200 hits cost 3 ms of a 7 ms search)."""
    chosen: list[tuple[bool, Hit]] = []
    for start in range(0, len(hits), 200):
        batch = hits[start : start + 200]
        statement = reads.where(reads.FOOD_FLAGS, [reads.WITH_IDS, *_filters(tag, category)])
        ids = [h.food_id for h in batch]
        flags = dict(reads.values(connection, statement, ids=ids, tag=tag, category=category))
        chosen += [(bool(flags[h.food_id]), h) for h in batch if h.food_id in flags]
        if len(chosen) >= wanted:
            break
    # equally good matches: a doubtful (flagged) figure after the others, however rich
    chosen.sort(key=lambda pair: (-pair[1].score, pair[0]))
    chosen = chosen[:wanted]
    if not chosen:
        return []
    statement = reads.where(reads.FOOD_ROW, [reads.WITH_IDS])
    found = {row.id: row for row in reads.rows(connection, statement, ids=[h.food_id for _, h in chosen])}
    return [(found[h.food_id], h) for _, h in chosen]


def _matched_aliases(connection: Reader, key: str, found: list[tuple[Record, Hit]]) -> list[str | None]:
    """For each hit, the alias (as stored) it was found through; None when the food's own name
    matched, or holds the term as typed ('natto beans' finds natto by its name, not its alias)."""
    by_alias = {
        row.id: search_key(hit.matched)
        for row, hit in found
        if search_key(hit.matched) != row.search_key and key not in row.search_key
    }
    if not by_alias:
        return [None] * len(found)
    stored: dict[tuple[int, str], str] = {}
    ids = sorted(by_alias)
    for start in range(0, len(ids), 500):
        batch = ids[start : start + 500]
        keys = sorted({by_alias[i] for i in batch})
        found_rows = reads.rows(connection, reads.ALIASES_OF_FOODS, ids=batch, keys=keys)
        stored.update({(food_id, alias_key): alias for food_id, alias_key, alias in found_rows})
    return [stored.get((row.id, by_alias[row.id])) if row.id in by_alias else None for row, _hit in found]


def _generic_hits(connection: Reader, term: str) -> list[Hit]:
    """A generic word ('pizza', '吞拿魚', 'steak') that is not itself a name or alias: its default
    food first, then its alternatives, as the meal reads it (data/generic_foods.csv)."""
    key = search_key(term)
    word = generics().get(key)
    if word is None or _exact_rows(connection, key):
        return []
    names = [word.food, *word.alternatives]
    ids = {name: food_id for name, food_id in reads.rows(connection, reads.FOOD_IDS_BY_NAME, names=names)}
    return [Hit(ids[name], EXACT + 1 - rank / 100, term) for rank, name in enumerate(names) if name in ids]


def _only_look_alikes(hits: list[Hit]) -> bool:
    return not hits or hits[0].score < ALL_WORDS


def search_foods(
    connection: Reader,
    term: str | None = None,
    *,
    form: str | None = None,
    category: str | None = None,
    limit: int | None = None,
) -> list[Record]:
    """Foods matching ``term``, best first (at most ``limit``, default TERM_LIMIT); without a
    term, every food (or ``limit``) richest in K2 first, unflagged figures before flagged ones.
    Nothing found is an empty list (:func:`no_match_message` says why); a food known to have no
    published figure ('ghee') finds nothing rather than look-alike names."""
    return [
        row for row, _alias in search_matches(connection, term, form=form, category=category, limit=limit)
    ]


def search_matches(
    connection: Reader,
    term: str | None = None,
    *,
    form: str | None = None,
    category: str | None = None,
    limit: int | None = None,
) -> list[tuple[Record, str | None]]:
    """As :func:`search_foods`, each food with the alias it was found through (None when found by
    its own name, or listed without a term)."""
    if limit is not None and limit < 1:
        raise UsageError(_("limit must be at least 1"))
    tag = normalize_form(form)
    category = resolve_category(connection, category)
    if term is None or not term.strip():
        return [(row, None) for row in _richest(connection, tag, category, limit)]
    wanted = limit or TERM_LIMIT
    generic = _generic_hits(connection, term)
    listed = {hit.food_id for hit in generic}  # a default or alternative that also matches by name: once
    hits = generic + [
        hit for hit in find_hits(connection, term, max(CANDIDATES, wanted)) if hit.food_id not in listed
    ]
    if _only_look_alikes(hits) and no_k2_figure_message(term) is not None:
        return []
    found = _hit_rows(connection, hits, tag, category, wanted)
    matched = _matched_aliases(connection, search_key(term), found)
    return [(row, alias) for (row, _hit), alias in zip(found, matched, strict=True)]


def _richest(connection: Reader, tag: str | None, category: str | None, limit: int | None) -> list[Record]:
    """Every food (or ``limit``) richest in K2 first: the unflagged ones, then the flagged ones
    (a doubtful or uncertain figure never leads a list of the richest foods). Two indexed reads,
    each in K2 order, rather than one sort of every food by flag and K2."""
    found: list[Record] = []
    for flagged in (reads.UNFLAGGED, reads.FLAGGED):
        if limit is not None and len(found) >= limit:
            break
        statement = reads.where(reads.FOOD_ROW, [*_filters(tag, category), flagged]) + reads.RICHEST_FIRST
        found += reads.rows(
            connection,
            statement + (reads.LIMIT if limit else ""),
            tag=tag,
            category=category,
            limit=limit - len(found) if limit else None,
        )
    return found


def no_match_message(connection: Reader, term: str) -> str:
    """Why a search for ``term`` found nothing: a food known to have no published figure, the
    filters, or no name near it (with the closest names)."""
    hits = find_hits(connection, term)
    no_figure = no_k2_figure_message(term)
    if no_figure is not None and _only_look_alikes(hits):
        return no_figure
    if hits:  # the term matched, the filters removed everything
        return _("no food matches {term} with these filters").format(term=printable(term))
    return no_food_message(term, shown_names(connection, suggest(connection, term)))


def no_food_message(term: str, names: Sequence[str] = ()) -> str:
    """The one wording of a name that matches no food, with the closest ``names`` (as the chosen
    language shows them): "no food matches 'nato' — did you mean 'natto'?"."""
    if names:
        return _("no food matches {term} — did you mean {names}?").format(
            term=printable(term), names=or_list(list(names))
        )
    return _("no food matches {term}").format(term=printable(term))


def printable(term: str, limit: int = 60) -> str:
    """The user's term, quoted, with control characters escaped and long input shortened."""
    cleaned = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in term)
    if len(cleaned) > limit:
        cleaned = cleaned[:limit] + "…"
    return _("'{text}'").format(text=cleaned)  # 「…」 in Chinese


def suggest(connection: Reader, term: str, count: int = 5) -> list[str]:
    """The names closest to ``term``, for 'did you mean' messages."""
    from rapidfuzz import fuzz, process

    key = search_key(term)
    if not key:
        return []
    hits = find_hits(connection, term)[:count]
    names: list[str] = []
    if hits:
        found = reads.rows(connection, reads.FOOD_NAMES_BY_ID, ids=[h.food_id for h in hits])
        by_id = {food_id: name for food_id, name in found}
        names = [by_id[h.food_id] for h in hits]
    # Looser look-alikes from every name: only where reading every name is cheap.
    size = reads.scalar(connection, reads.LAST_FOOD_ID) or 0
    if len(names) < count and size <= SMALL_DATABASE:
        all_names = reads.scalars(connection, reads.FOOD_NAMES)
        near = process.extract(key, all_names, scorer=fuzz.WRatio, limit=count, score_cutoff=SUGGEST_CUTOFF)
        for name, _score, _index in near:
            if name not in names:
                names.append(name)
    return names[:count]


def or_list(names: list[str]) -> str:
    """ "'a', 'b' or 'c'" in the chosen language."""
    quoted = [_("'{text}'").format(text=name) for name in names]  # 「…」 in Chinese
    if len(quoted) == 1:
        return quoted[0]
    return _("{names} or {last}").format(names=_(", ").join(quoted[:-1]), last=quoted[-1])


def shown_names(connection: Reader, names: list[str]) -> list[str]:
    """Food names as the chosen language prints them (unchanged in English)."""
    from .names import display_names

    shown = display_names(connection, names)
    return [shown.get(name, name) for name in names]
