"""Parse the words after ``d3k2db meal`` into item specs: quantity, unit and food text.

Pure, stdlib-only. Whether a phrase names a food is asked of the ``is_food`` callback (and
whether a longer name starts with it, of ``continues``); matching the food itself (aliases,
generic words, typos) is the caller's job. A phrase is never split into words matched one by
one: an item's words are several foods only when every word belongs to a known name.

Grammar, per item (items are split by ``,`` ``;`` ``+`` ``&`` ``/`` ``、`` and the words
``and`` ``with`` ``plus`` ``w/`` ``et`` ``avec`` ``en`` ``met`` ``和`` ``跟`` …, and also start at
every quantity)::

    item      := {filler} [quantity] [unit] ["of" | "de" | CJK classifier] {filler} run [postfix]
    quantity  := ["x" | "×" | "*"] base [("x" | "×" | "*") [base]]
    base      := number [fraction]            "1 1/2", "1½" (a mixed number)
               | number "and" ("a half" | fraction)
               | number-word ["and a half"]    "one" .. "twelve", "deux", "twee", "two and a half"
               | base "dozen"                  "2 dozen" = 24
               | "a"/"an" ["half" | "quarter" | "dozen" | "couple"]
               | "one" ("half" | "quarter")
               | "half" ["of"] ["a" | "an" | "the"] ["dozen"]
               | "quarter" ["of"] ["a" | "an" | "the"]
               | "dozen" | "couple of"
               | Chinese numeral [measure word] ["半"]   "兩個", "一杯", "半杯", "一個半" = 1.5
    number    := 2 | 1.5 | .5 | 1,5 (decimal comma) | 1/2 | 1e3 | -1 (rejected later)
    unit      := one to three words that units.canonical_unit() knows ("fl oz", "cuillère à soupe")
    postfix   := ("x" | "×" | "*") base      "eggs x2" (unless a unit follows: "x 2 tbsp ...")
               | number ("x" | "×" | "*")     "eggs 2x" (only at the end of the item)
               | quantity [unit] {filler}     "eggs 2", "sauerkraut 1 cup", "牛奶 200ml"
                                              (when the item has no quantity yet and ends there)
    run       := the words up to the item's end: known names (the longest at each word, across
                 commas, digits and "+": "ground beef, 10% fat, raw"), fillers and other words.
                 All known: one item per name. Any other word: the whole run is one food text
                 ("old gouda", "goose liver pâté"), for the caller to match or refuse.
    filler    := "I had", "breakfast", "some", "about", "a bit of", "in oil", "我吃了" …: dropped,
                 and reported as dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..errors import MealParseError
from ..i18n import N_, _
from .scanner import _ARTICLES, _HALF_WORDS, _OF_WORDS, _SEP_WORDS, Scanner, _Piece, _Quantity
from .tokens import _AMP, _SEP, _SOFT, _WORD, _finite_positive, _quote, _render, _Tok, _tokenize

__all__ = [
    "EMPTY_MEAL",
    "MAX_FOOD_WORDS",
    "MAX_MEAL_CHARS",
    "ItemSpec",
    "parse_meal",
    "parse_meal_with_problems",
]

_UNCLEAR = "not_understood"  # d3k2db.domain.results.ProblemCode.NOT_UNDERSTOOD

EMPTY_MEAL = N_("empty meal: name at least one food, e.g. '2 eggs, 1 tbsp butter'")

#: A longer meal is refused outright (it would cost many ``is_food`` calls).
MAX_MEAL_CHARS = 10_000

#: Longest food name, in words, that the greedy segmentation tries.
MAX_FOOD_WORDS = 6


class ParseProblem(str):
    """A problem sentence (in the chosen language) that also carries, as data, its stable code
    (a d3k2db.domain.results.ProblemCode value) and the text it is about."""

    code: str
    typed: str

    def __new__(cls, message: str, code: str, typed: str) -> ParseProblem:
        made = super().__new__(cls, message)
        made.code, made.typed = code, typed
        return made


@dataclass(frozen=True)
class ItemSpec:
    """One item of a meal, as typed; the caller resolves ``food`` and converts the amount."""

    text: str  # the item as the user typed it (for messages), e.g. "2 large eggs"
    quantity: float | None  # None = not given (means 1 default serving)
    unit: str | None  # canonical unit from units.canonical_unit, or None
    food: str  # the food words, lowercased, whitespace-normalized, e.g. "chicken liver"
    dropped: tuple[str, ...] = ()  # filler words left out of this item ("I had", "some")
    typed_unit: str | None = None  # the unit word as typed ("盒", "tub", "strips"), for messages

    @property
    def count(self) -> bool:
        """A bare count ("6 oysters", "eggs 2", "兩個雞蛋"): pieces, not servings or volumes."""
        return self.quantity is not None and self.unit is None


@dataclass(slots=True)
class _Head:
    """An item up to its food run (see _Parser.head)."""

    first: int  # the item's first token after leading fillers
    found: _Quantity | None
    unit: str | None
    quantity_end: int
    run_end: int
    pieces: list[_Piece]
    dropped: list[str]


class _Parser(Scanner):
    """The item grammar (see the module docstring) over the scanner's tokens."""

    dropped: list[str]

    def leading_fillers(self, k: int) -> tuple[int, list[str]]:
        """Skip filler phrases at ``k``: (index after them, the phrases as typed)."""
        dropped: list[str] = []
        while True:
            k = self.skip_soft(k)
            size = self.filler_len(k)
            if not size:
                return k, dropped
            dropped.append(_render(self.toks[k : k + size]))
            k += size

    def run(self, f: int) -> tuple[int, list[_Piece]]:
        """The pieces of the food run at ``f``, up to the item's end (see the grammar)."""
        pieces: list[_Piece] = []
        p = f
        while p < self.n:
            if self.toks[p].kind == _SOFT and pieces:  # separately quoted words are separate items
                break
            p = self.skip_soft(p)
            piece = self.piece_at(p, bool(pieces)) if p < self.n else None
            if piece is None:
                break
            pieces.append(piece)
            p = piece.end
        return p, pieces

    def piece_at(self, p: int, after_piece: bool) -> _Piece | None:
        """The piece of a food run at ``p``: a known name, a percent ("2% milk", "milk 1%": part of
        the name), a filler or a word; None where the run ends (a separator, the next item's
        amount, anything but a word)."""
        if self.toks[p].kind in (_SEP, _AMP):
            return None
        size = self.food_len(p)
        if size:
            return _Piece("food", p, p + size)
        if self.is_percent(p):
            return _Piece("word", p, p + 2)
        if self.ends_item(p) or self.is_num(p) or (self.is_mult(p) and self.is_num(p + 1)):
            return None
        if after_piece and self.starts_quantity(p):
            return None
        size = self.filler_len(p)
        if size:
            return _Piece("filler", p, p + size)
        return _Piece("word", p, p + 1) if self.toks[p].kind == _WORD else None

    def postfix(self, k: int, has_quantity: bool) -> tuple[int, _Quantity | None, str | None, list[str]]:
        """An amount after the food: "eggs x2", "eggs 2x", "eggs 2", "sauerkraut 1 cup", "牛奶 200ml".

        Returns (end, quantity, unit, dropped fillers). A number followed by a food belongs to the
        next item ("eggs 2 butter"); so does "x 2 tbsp" in "eggs x 2 tbsp butter".
        """
        k = self.skip_soft(k)
        if self.is_mult(k) and self.is_num(k + 1):
            factor = self.base_quantity(k + 1)
            if factor is not None and self.unit_at(self.skip_soft(factor.end))[0] is None:
                return factor.end, factor, None, []
        if self.is_num(k) and self.is_mult(k + 1) and self.ends_item(k + 2):
            tok = self.toks[k]
            return k + 2, _Quantity(k + 2, tok.value, tok if tok.flaw else None), None, []
        starts_amount = self.is_num(k) or self.is_word(k, _ARTICLES) or self.is_word(k, _HALF_WORDS)
        if has_quantity or not starts_amount:  # "kimchi a cup", "cottage cheese half a cup"
            return k, None, None, []
        found = self.quantity(k)
        if found is None:
            return k, None, None, []
        end = self.skip_soft(found.end)
        unit, size = self.unit_at(end)
        if unit is not None and self.food_len(end) <= size:
            end += size
        else:
            unit = None
        end = self.skip_fillers(end)
        after, dropped = self.leading_fillers(end)
        if not self.ends_item(after):
            return k, None, None, []
        return after, found, unit, dropped

    def amount(self, i: int) -> tuple[int, _Quantity | None, str | None, int]:
        """Quantity and unit at ``i``: (index after them, quantity, unit, index after the quantity).
        An article before a number is dropped: "a 250 g steak", "an 8 oz steak"."""
        if self.is_word(i, _ARTICLES) and self.food_len(i) == 0 and self.is_num(self.skip_soft(i + 1)):
            i = self.skip_soft(i + 1)
        if self.is_num(i) and (self.food_len(i) > 0 or self.is_percent(i)):  # "2% milk": a name
            return i, None, None, i
        found = self.quantity(i)
        quantity_end = found.end if found is not None else i
        j = self.skip_soft(quantity_end)
        unit, size = self.unit_at(j)
        if unit is not None:
            known = self.food_len(j)
            # A longer known food wins ("large egg" if known); so do unit words that are
            # themselves the food when nothing follows them ("2 yolks").
            if known < size or (known == size and self.is_food_start(self.skip_fillers(j + size))):
                if found is None:
                    found = _Quantity(j + size, 1.0)
                    quantity_end = j + size
                return self.skip_fillers(j + size), found, unit, quantity_end
        end = self.skip_fillers(quantity_end) if found is not None else quantity_end
        return end, found, None, quantity_end

    def unknown_unit(self, pieces: list[_Piece]) -> str | None:
        """'bucket' in "a bucket of natto": unknown words, then "of", then known foods only."""
        of = next((n for n, piece in enumerate(pieces) if self.is_word(piece.start, _OF_WORDS)), None)
        if not of or any(piece.kind != "word" for piece in pieces[:of]):
            return None
        if not pieces[of + 1 :] or any(piece.kind != "food" for piece in pieces[of + 1 :]):
            return None
        return _render(self.toks[pieces[0].start : pieces[of - 1].end])

    def foods_of(self, pieces: list[_Piece], dropped: list[str]) -> list[tuple[int, int]]:
        """Token spans of the foods in a run. A name is never split: known names typed together
        ("duck liver", "raw milk cheese", 奶油吐司) are one food text, for the caller to match or
        refuse; only a filler between known names ("natto today rice") parts them (and is dropped).
        With any other word, the whole run is one food text."""
        if any(piece.kind == "word" for piece in pieces):
            return [(pieces[0].start, pieces[-1].end)]
        spans: list[tuple[int, int]] = []
        joined = False
        for piece in pieces:
            if piece.kind == "filler":
                dropped.append(_render(self.toks[piece.start : piece.end]))
                joined = False
            elif joined and not self.spaced_cjk(piece.start):
                spans[-1] = (spans[-1][0], piece.end)
            else:
                spans.append((piece.start, piece.end))
                joined = True
        return spans

    def spaced_cjk(self, k: int) -> bool:
        """Chinese names typed apart ("雞蛋 奶油"): Chinese puts no space inside a name, so a space
        between two Chinese names separates them."""
        return self.toks[k].cjk and not self.toks[k].glued and k > 0 and self.toks[k - 1].cjk

    def typed_unit(self, first: int, end: int, unit: str | None) -> str | None:
        """The unit word as typed in tokens ``first``…``end`` (盒 or 包, tub or pot) for messages."""
        if unit is None:
            return None
        for k in range(first, end):
            found, size = self.unit_at(k)
            if found == unit:
                return _render(self.toks[k : k + size])
        return None

    def no_food(self, first: int, end: int) -> ParseProblem:
        typed = _render(self.toks[first:end])
        return ParseProblem(_("no food after {text}").format(text=_quote(typed)), _UNCLEAR, typed)

    def head(self, start: int) -> tuple[int, list[ItemSpec], str | None] | _Head:
        """The item up to its food run: fillers, amount, the run's pieces — or the item's result
        when it ends early (only fillers, no food, an unknown unit word)."""
        first, dropped = self.leading_fillers(start)
        if self.ends_item(first):  # only fillers ("..., for breakfast")
            self.dropped += dropped
            return max(first, start + 1), [], None
        i, found, unit, quantity_end = self.amount(first)
        i, more = self.leading_fillers(i)
        dropped += more
        f = self.skip_soft(i)
        if not self.is_food_start(f):
            return max(i, start + 1), [], self.no_food(first, max(i, start + 1))
        run_end, pieces = self.run(f)
        while pieces and pieces[-1].kind == "filler":  # "sardines in oil", "eggs for breakfast"
            dropped.append(_render(self.toks[pieces[-1].start : pieces[-1].end]))
            pieces.pop()
        if not pieces:
            end = max(run_end, i, start + 1)
            return end, [], self.no_food(first, end)
        unknown_unit = self.unknown_unit(pieces)
        if unknown_unit is not None:
            text = _render(self.toks[first : pieces[-1].end])
            message = _("unknown unit {unit} in {text}").format(unit=_quote(unknown_unit), text=_quote(text))
            return pieces[-1].end, [], ParseProblem(message, _UNCLEAR, text)
        return _Head(first, found, unit, quantity_end, run_end, pieces, dropped)

    def item(self, start: int) -> tuple[int, list[ItemSpec], str | None]:
        """Parse one item at ``start``: (end index, specs, problem)."""
        head = self.head(start)
        if not isinstance(head, _Head):
            return head
        first, unit, dropped = head.first, head.unit, head.dropped
        spans = self.foods_of(head.pieces, dropped)
        quantity = head.found.value if head.found is not None else None
        flawed = head.found.flawed if head.found is not None else None
        end, factor, post_unit, post_dropped = self.postfix(head.run_end, head.found is not None)
        dropped += post_dropped
        number_text = _render(self.toks[first : head.quantity_end])
        if factor is not None:
            quantity = factor.value if quantity is None else quantity * factor.value
            flawed = flawed or factor.flawed
            unit = post_unit or unit
            if not _finite_positive(factor.value) or not number_text:
                number_text = _render(self.toks[spans[-1][1] : end])
        text = _render(self.toks[first:end])
        problem = self.quantity_problem(flawed, quantity, number_text, text)
        if problem is not None:
            return end, [], problem
        amount = (quantity, unit, self.typed_unit(first, end, unit))
        specs = self.specs(spans, (first, end), amount, factor is not None, dropped)
        self.dropped = []
        return end, specs, None

    def specs(
        self,
        spans: list[tuple[int, int]],
        bounds: tuple[int, int],
        amount: tuple[float | None, str | None, str | None],
        postfix: bool,
        dropped: list[str],
    ) -> list[ItemSpec]:
        """One spec per food span (several only where a filler parts known names); the amount
        belongs to the first span, and to the last too when it was typed after the foods."""
        first, end = bounds
        quantity, unit, typed_unit = amount
        specs = []
        for index, (food_start, food_end) in enumerate(spans):
            last = index == len(spans) - 1
            text_start = first if index == 0 else food_start
            text = _render(self.toks[text_start : (end if last else food_end)])
            own = index == 0 or (last and postfix)
            specs.append(
                ItemSpec(
                    text,
                    quantity if own else None,
                    unit if own else None,
                    self.key_text(self.toks[food_start:food_end]),
                    tuple(self.dropped + dropped) if index == 0 else (),
                    typed_unit if own else None,
                )
            )
        return specs

    @staticmethod
    def quantity_problem(
        flawed: _Tok | None, quantity: float | None, number_text: str, text: str
    ) -> str | None:
        if flawed is not None and flawed.flaw == "range":
            message = _("range {number} in {text}: give a single quantity")
            return ParseProblem(
                message.format(number=_quote(flawed.raw), text=_quote(text)), "ambiguous", text
            )
        if flawed is not None:
            return ParseProblem(
                _(
                    "ambiguous number {number} in {text}: write decimals "
                    "with a point (1.5) and thousands without a separator (1500)"
                ).format(number=_quote(flawed.raw), text=_quote(text)),
                "ambiguous",
                text,
            )
        if quantity is not None and not _finite_positive(quantity):
            message = _("invalid quantity {number} in {text}: a quantity must be a positive number")
            return ParseProblem(
                message.format(number=_quote(number_text or text), text=_quote(text)), "bad_amount", text
            )
        return None

    def trailing_amount(self, start: int, last: ItemSpec) -> tuple[int, ItemSpec] | None:
        """ "natto, 2 packs", "bacon, 2 strips": a number and unit after a separator with no food of
        its own belong to the item before it when that item has no amount; (end, the new item)."""
        if last.quantity is not None or not start or self.toks[start - 1].kind != _SEP:
            return None
        first, dropped = self.leading_fillers(start)
        if not (self.is_num(first) or (self.is_mult(first) and self.is_num(first + 1))):
            return None
        end, found, unit, _quantity_end = self.amount(first)
        end = self.skip_soft(end)
        if unit is None or found is None or found.flawed or not _finite_positive(found.value):
            return None  # a bare number ("eggs, 2") stays a problem: its food may be missing
        if not self.ends_item(end):
            return None
        typed = self.typed_unit(first, end, unit)
        text = f"{last.text}, {_render(self.toks[first:end])}"
        return end, ItemSpec(text, found.value, unit, last.food, (*last.dropped, *dropped), typed)

    def parse(self) -> tuple[list[ItemSpec], list[str]]:
        items: list[ItemSpec] = []
        problems: list[str] = []
        i = 0
        while i < self.n:
            tok = self.toks[i]
            if tok.kind in (_SEP, _AMP, _SOFT) or (tok.low in _SEP_WORDS and self.food_len(i) == 0):
                i += 1
                continue
            trailing = self.trailing_amount(i, items[-1]) if items else None
            if trailing is not None:
                i, items[-1] = trailing
                continue
            end, specs, problem = self.item(i)
            items += specs
            if problem is not None:
                problems.append(problem)
            i = max(end, i + 1)
        if self.dropped and items:  # fillers after the last food: "2 eggs, for breakfast"
            last = items[-1]
            items[-1] = ItemSpec(
                last.text,
                last.quantity,
                last.unit,
                last.food,
                (*last.dropped, *self.dropped),
                last.typed_unit,
            )
        return items, problems


def separate_shell_words(words: list[str], is_food: Callable[[str], bool]) -> list[str]:
    """``d3k2db meal butter eggs``: unquoted shell words that are each a known name, and together
    none, are separate items (a comma between them); words that together make a name stay together
    ('chicken liver', 'duck liver', 'whole milk'), and a run that cannot be covered by known names
    ('raw milk cheese' is one, 'big fat' none) is left to the parser, which never splits a name.

    Only a run of plain words is looked at (no digit, no separator): '2 eggs butter' groups as
    '2', 'eggs, butter'. One argument (a quoted phrase, the web page's text) is never touched."""
    if len(words) < 2:
        return words
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        out.extend(_group(run, is_food) if len(run) > 1 else run)
        run.clear()

    for word in words:
        if re.fullmatch(r"[^\W\d_][\w'’.-]*", word.strip()):
            run.append(word)
        else:
            flush()
            out.append(word)
    flush()
    return out


def _group(run: list[str], is_food: Callable[[str], bool]) -> list[str]:
    def known(part: list[str]) -> bool:
        return is_food(" ".join(word.strip().lower() for word in part))

    if known(run):
        return run
    grouped: list[str] = []
    i = 0
    while i < len(run):
        j = next((j for j in range(len(run), i, -1) if known(run[i:j])), None)
        if j is None:
            return run  # a word that names nothing: the parser says so, unsplit
        grouped += [*run[i:j], ","]
        i = j
    return grouped[:-1]


def parse_meal_with_problems(
    args: Sequence[str],
    is_food: Callable[[str], bool],
    continues: Callable[[str], bool] | None = None,
) -> tuple[list[ItemSpec], list[str]]:
    """Parse the shell words after ``d3k2db meal``: (items that parsed, problems with the rest).

    ``args`` may be one quoted phrase, separate words or a mix. ``is_food(phrase)`` says whether
    a lowercased, whitespace-normalized phrase is a known name (a food, an alias, a generic word
    or a common food the caller knows it lacks); it decides how unseparated words group.
    ``continues(prefix)``, if given, says whether a longer known name starts with ``prefix``: the
    words so far, with a trailing space unless the next token is typed against the last one
    (without it, names are looked for over up to MAX_NAME_TOKENS tokens).
    Never raises. An empty meal gives ``([], [EMPTY_MEAL])``.
    """
    if isinstance(args, str):
        args = [args]
    try:
        words = list(args)
    except TypeError:
        return [], [_("meal must be a list of words, not {kind}").format(kind=type(args).__name__)]
    for word in words:
        if not isinstance(word, str):
            return [], [_("meal words must be text, not {kind}").format(kind=type(word).__name__)]
    size = sum(len(word) for word in words)
    if size > MAX_MEAL_CHARS:
        return [], [
            _("meal too long: {size} characters (at most {limit}); split it up").format(
                size=size, limit=MAX_MEAL_CHARS
            )
        ]
    items, problems = _Parser(_tokenize(separate_shell_words(words, is_food)), is_food, continues).parse()
    if not items and not problems:
        problems = [_(EMPTY_MEAL)]
    return items, problems


def parse_meal(
    args: Sequence[str], is_food: Callable[[str], bool], continues: Callable[[str], bool] | None = None
) -> list[ItemSpec]:
    """Like :func:`parse_meal_with_problems`, but raises :class:`MealParseError` listing every
    item that cannot be understood (and for an empty or oversized meal); nothing else."""
    items, problems = parse_meal_with_problems(args, is_food, continues)
    if problems:
        raise MealParseError(problems, _("; ").join(problems))
    return items
