"""Units of measure: canonical names, spellings, and conversions to grams / millilitres.

Pure functions over stdlib only, so importing this module is instant.

Canonical units are short lowercase strings:

* mass: ``g``, ``kg``, ``mg``, ``oz``, ``lb`` (see :data:`MASS_G`)
* volume: ``tsp``, ``tbsp``, ``cup``, ``fl oz``, ``ml``, ``l``, ``dl`` (see :data:`VOLUME_ML`)
* household: ``slice`` (strip, rasher), ``piece``, ``clove``, ``pat``, ``serving``, ``stick``,
  ``wedge``, ``cube``, ``block``, ``yolk``, ``link``, ``fillet``, ``package`` (pack, packet, tub, pot,
  carton, 盒, 包, 盒裝; a stored ``container`` portion is a package too), ``bottle``, ``can``, ``jar``,
  ``glass``, ``bowl``, ``mug``, ``handful`` (see :data:`HOUSEHOLD_UNITS`)

The spellings live in ``data/lexicon/*.csv`` (class ``unit``, with the unit's kind).
* egg sizes: ``small``, ``medium``, ``large``, ``extra large``, ``jumbo`` (see :data:`EGG_SIZES`)
"""

from __future__ import annotations

import re
import unicodedata

from .lexicon import lexicon

__all__ = [
    "EGG_SIZES",
    "HOUSEHOLD_UNITS",
    "MASS_G",
    "VOLUME_ML",
    "canonical_unit",
    "is_mass",
    "is_volume",
    "portion_unit_matches",
    "to_grams",
    "to_millilitres",
    "unit_kind",
]

#: Canonical mass units -> grams (exact international avoirdupois definitions).
MASS_G: dict[str, float] = {
    "g": 1.0,
    "kg": 1000.0,
    "mg": 0.001,
    "oz": 28.349523125,
    "lb": 453.59237,
}

#: Canonical volume units -> millilitres (US customary, exact definitions).
VOLUME_ML: dict[str, float] = {
    "tsp": 4.92892159375,
    "tbsp": 14.78676478125,
    "cup": 236.5882365,
    "fl oz": 29.5735295625,
    "pint": 473.176473,  # US pint: 2 US cups (exact definition)
    "ml": 1.0,
    "l": 1000.0,
    "dl": 100.0,
}

#: Canonical household units (counted things whose weight depends on the food): every canonical unit
#: of data/lexicon/ whose kind is piece, pack, vessel or serving.
HOUSEHOLD_UNITS: frozenset[str] = frozenset(
    unit for unit, kind in lexicon().unit_kinds.items() if kind in ("piece", "pack", "vessel", "serving")
)

#: Household units that hold a whole pack of a food (kind ``pack``): a bare count ("2 chicken wings")
#: means them only for a food whose default serving is one (natto: ``1 package``).
PACK_UNITS: frozenset[str] = frozenset(unit for unit, kind in lexicon().unit_kinds.items() if kind == "pack")

#: Canonical egg (and fruit/vegetable) size words, smallest first.
EGG_SIZES: tuple[str, ...] = ("small", "medium", "large", "extra large", "jumbo")


def unit_kind(canonical: str | None) -> str | None:
    """What a canonical unit measures: mass, volume, piece, pack, vessel, serving or size."""
    return lexicon().unit_kinds.get(canonical or "")


# Every accepted spelling (lowercased, dots removed, whitespace collapsed) -> canonical: the ``unit``
# rows of data/lexicon/*.csv. Deliberately absent: "t" and "c" (tsp/tbsp and cup abbreviations that
# are too ambiguous), "x-large" ("2 x large eggs" reads as a multiplier), "whole", "egg".
_ALIASES: dict[str, str] = lexicon().units

_SPACES_RE = re.compile(r"\s+")


def _key(word: str) -> str:
    """Lookup key: NFKC, lowercase, dots dropped ("tbsp." / "fl. oz."), whitespace collapsed."""
    text = unicodedata.normalize("NFKC", word).lower().replace(".", " ")
    return _SPACES_RE.sub(" ", text).strip()


def canonical_unit(word: str) -> str | None:
    """The canonical unit a spelling names ("Tablespoons" -> "tbsp"), or None for a non-unit.

    Accepts plurals, any case, trailing dots and the two-word units ("fl oz", "extra large").
    """
    if not isinstance(word, str):
        return None
    return _ALIASES.get(_key(word))


def is_mass(unit: str | None) -> bool:
    """True for a canonical mass unit ("g", "kg", "mg", "oz", "lb"): a key of :data:`MASS_G`.

    Pass a canonical unit (from :func:`canonical_unit`); other spellings ("grams") are False,
    so ``is_mass(u)`` guarantees ``MASS_G[u]`` exists.
    """
    return isinstance(unit, str) and unit in MASS_G


def is_volume(unit: str | None) -> bool:
    """True for a canonical volume unit ("tsp", "tbsp", "cup", "fl oz", "ml", "l", "dl").

    Like :func:`is_mass`: ``is_volume(u)`` guarantees ``VOLUME_ML[u]`` exists.
    """
    return isinstance(unit, str) and unit in VOLUME_ML


def to_grams(quantity: float, unit: str) -> float | None:
    """``quantity`` of a mass unit in grams, or None if ``unit`` is not a mass unit."""
    canonical = canonical_unit(unit)
    if canonical is None or canonical not in MASS_G:
        return None
    return quantity * MASS_G[canonical]


def to_millilitres(quantity: float, unit: str) -> float | None:
    """``quantity`` of a volume unit in millilitres, or None if ``unit`` is not a volume unit."""
    canonical = canonical_unit(unit)
    if canonical is None or canonical not in VOLUME_ML:
        return None
    return quantity * VOLUME_ML[canonical]


_PORTION_HEAD_RE = re.compile(r"[,(\[;:]")
_LEADING_NUMBER_RE = re.compile(r"^[0-9][0-9.,/ ]*")


def portion_canonical(portion_unit: str) -> str | None:
    """Canonical unit of stored portion text: the whole text, else its leading words.

    Stored text is normally a bare unit ("pat", "extra large") but may carry a note
    ("cup, chopped", "slice (1 oz)", "large egg", "1 large"); the leading unit words decide.
    """
    whole = canonical_unit(portion_unit)
    if whole is not None:
        return whole
    head = _PORTION_HEAD_RE.split(_key(portion_unit), maxsplit=1)[0]
    head = _key(_LEADING_NUMBER_RE.sub("", head))
    words = head.split(" ")
    for count in (2, 1):
        if len(words) >= count:
            found = _ALIASES.get(" ".join(words[:count]))
            if found is not None:
                return found
    return None


def portion_unit_matches(canonical: str, portion_unit: str) -> bool:
    """Whether a typed unit (canonical, e.g. "tbsp") names a food's stored portion unit.

    Both sides are canonicalised, so "tbsp" matches "Tablespoon", "extra large" matches
    "extra-large" and "slice" matches "slices"; stored text that is no known unit
    ("bowl") matches only the same words, compared case- and whitespace-insensitively.
    """
    if not isinstance(canonical, str) or not isinstance(portion_unit, str):
        return False
    typed = canonical_unit(canonical)
    stored = portion_canonical(portion_unit)
    if typed is not None and stored is not None:
        return typed == stored
    if typed is None and stored is None:
        return _key(canonical) != "" and _key(canonical) == _key(portion_unit)
    return False


# '1 slice', '2 cups', '30 g', '30': a number, then (optionally) words starting with a letter.
_COUNTED_LABEL = re.compile(r"^\s*(\d+(?:[.,]\d+)?)(?:\s*([^\W\d_].*?))?\s*$")


def serving_portion(serving_g: float, serving_label: str, citation: str | None) -> dict[str, object] | None:
    """The portion a serving label implies, so that the label's unit works in a meal.

    '1 slice' (30 g) → unit 'slice', 1 × 30 g, and '2 slices cheese' then means 60 g; '2 cups' →
    unit 'cups', 2 per serving_g; any other label ('a bowl', '1/2 cup') → unit 'serving'.
    A mass label ('30 g', '3 oz') adds nothing: grams and ounces already work everywhere.
    """
    match = _COUNTED_LABEL.match(serving_label)
    if match and match.group(2):
        amount, unit = float(match.group(1).replace(",", ".")), match.group(2)
    elif match:  # a bare number: grams by the default label's convention
        return None
    else:
        amount, unit = 1.0, "serving"
    canonical = canonical_unit(unit)
    if amount <= 0 or (canonical is not None and is_mass(canonical)):
        return None
    return {
        "unit": unit,  # a part of serving_label, which fits records.MAX_LABEL
        "amount": amount,
        "grams": serving_g,
        "description": serving_label,
        "source": citation,  # portions.source is as wide as a citation (migration 0004)
        "locator": None,
    }
