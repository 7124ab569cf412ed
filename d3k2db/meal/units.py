"""Units of measure: canonical names, spellings, and conversions to grams / millilitres.

Pure functions over stdlib only, so importing this module is instant.

Canonical units are short lowercase strings:

* mass: ``g``, ``kg``, ``mg``, ``oz``, ``lb`` (see :data:`MASS_G`)
* volume: ``tsp``, ``tbsp``, ``cup``, ``fl oz``, ``ml``, ``l``, ``dl`` (see :data:`VOLUME_ML`)
* household: ``slice``, ``piece``, ``clove``, ``pat``, ``serving``, ``stick``, ``wedge``,
  ``cube``, ``yolk``, ``link``, ``fillet``, ``package`` (pack, packet, 盒, 包), ``container``
  (tub, pot), ``can``, ``jar``, ``glass``, ``bowl``, ``mug``, ``handful`` (see :data:`HOUSEHOLD_UNITS`)
* egg sizes: ``small``, ``medium``, ``large``, ``extra large``, ``jumbo`` (see :data:`EGG_SIZES`)
"""

from __future__ import annotations

import re
import unicodedata

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

#: Canonical household units (counted things whose weight depends on the food).
HOUSEHOLD_UNITS: frozenset[str] = frozenset(
    {
        "slice",
        "piece",
        "clove",
        "pat",
        "serving",
        "stick",
        "wedge",
        "cube",
        "yolk",
        "link",
        "fillet",
        "package",
        "container",
        "can",
        "jar",
        "glass",
        "bowl",
        "mug",
        "handful",
    }
)

#: Household units that hold a whole pack of a food: a bare count ("2 chicken wings", "2 natto")
#: never means them, even when the pack is the food's default serving (a pack of wings is 1,150 g).
PACK_UNITS: frozenset[str] = frozenset({"package", "container", "can", "jar"})

#: Canonical egg (and fruit/vegetable) size words, smallest first.
EGG_SIZES: tuple[str, ...] = ("small", "medium", "large", "extra large", "jumbo")


def _spellings(canonical: str, *words: str) -> dict[str, str]:
    return {word: canonical for word in (canonical, *words)}


# Every accepted spelling (already lowercased, dots removed, whitespace collapsed) -> canonical.
# Deliberately absent: "t" and "c" (tsp/tbsp and cup abbreviations that are too ambiguous),
# "x-large" ("2 x large eggs" reads as a multiplier), "whole", "egg".
_ALIASES: dict[str, str] = {
    # mass
    **_spellings("g", "gram", "grams", "gramme", "grammes", "gr", "grs", "gm", "gms"),
    **_spellings("kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "kilogramme", "kilogrammes"),
    **_spellings("mg", "mgs", "milligram", "milligrams", "milligramme", "milligrammes"),
    **_spellings("oz", "ozs", "ounce", "ounces"),
    **_spellings("lb", "lbs", "pound", "pounds"),
    # volume
    **_spellings("tsp", "tsps", "teaspoon", "teaspoons", "teaspoonful", "teaspoonfuls"),
    **_spellings(
        "tbsp",
        "tbsps",
        "tbs",
        "tbl",
        "tbls",
        "tblsp",
        "tablespoon",
        "tablespoons",
        "tablespoonful",
        "tablespoonfuls",
    ),
    **_spellings("cup", "cups"),
    **_spellings("pint", "pints", "pt"),
    **_spellings("ml", "mls", "millilitre", "millilitres", "milliliter", "milliliters"),
    **_spellings("l", "ltr", "ltrs", "litre", "litres", "liter", "liters"),
    **_spellings("dl", "decilitre", "decilitres", "deciliter", "deciliters"),
    **_spellings(
        "fl oz",
        "fl ozs",
        "floz",
        "fluid oz",
        "fluid ounce",
        "fluid ounces",
        "fl ounce",
        "fl ounces",
    ),
    # household
    **_spellings("slice", "slices"),
    **_spellings("piece", "pieces", "pc", "pcs"),
    **_spellings("clove", "cloves"),
    **_spellings("pat", "pats"),
    **_spellings("serving", "servings", "portion", "portions"),
    **_spellings("stick", "sticks"),
    **_spellings("wedge", "wedges"),
    **_spellings("cube", "cubes"),
    **_spellings("yolk", "yolks"),
    **_spellings("link", "links"),
    **_spellings("fillet", "fillets", "filet", "filets"),
    **_spellings("package", "packages", "pack", "packs", "packet", "packets", "pkg", "pkgs"),
    **_spellings("container", "containers", "tub", "tubs", "pot", "pots"),
    **_spellings("can", "cans", "tin", "tins"),
    **_spellings("jar", "jars"),
    **_spellings("glass", "glasses", "glassful", "glassfuls"),
    **_spellings("bowl", "bowls", "bowlful", "bowlfuls"),
    **_spellings("mug", "mugs", "mugful", "mugfuls"),
    **_spellings("handful", "handfuls"),
    # sizes
    **_spellings("small"),
    **_spellings("medium"),
    **_spellings("large"),
    **_spellings("extra large", "extra-large", "xl"),
    **_spellings("jumbo"),
    # French
    **_spellings("g", "gramme", "grammes"),
    **_spellings("slice", "tranche", "tranches"),
    **_spellings("glass", "verre", "verres"),
    **_spellings("cup", "tasse", "tasses"),
    **_spellings("bowl", "bol", "bols"),
    **_spellings("tbsp", "cuillère à soupe", "cuillères à soupe", "cuillere a soupe", "c à soupe"),
    **_spellings("tsp", "cuillère à café", "cuillères à café", "cuillere a cafe", "c à café"),
    **_spellings("piece", "morceau", "morceaux"),
    **_spellings("package", "paquet", "paquets", "sachet", "sachets", "barquette", "barquettes"),
    **_spellings("can", "boîte", "boîtes", "conserve"),
    # Dutch
    **_spellings("slice", "plak", "plakken", "plakje", "plakjes", "snee", "sneetje", "sneetjes"),
    **_spellings("glass", "glas", "glazen", "glaasje", "glaasjes"),
    **_spellings("cup", "kop", "kopje", "kopjes"),
    **_spellings("bowl", "kom", "kommen", "kommetje", "kommetjes"),
    **_spellings("mug", "beker", "bekers", "mok", "mokken"),
    **_spellings("tbsp", "eetlepel", "eetlepels", "el"),  # 'el', 'tl': how Dutch recipes write them
    **_spellings("tsp", "theelepel", "theelepels", "tl"),
    **_spellings("piece", "stuk", "stuks", "stukje", "stukjes"),
    **_spellings("package", "pak", "pakken", "pakje", "pakjes"),
    **_spellings("container", "bakje", "bakjes"),
    **_spellings("serving", "portie", "porties"),
    **_spellings("handful", "handje", "handvol"),
    **_spellings("can", "blik", "blikje"),
    # Chinese / Japanese (traditional and simplified)
    **_spellings("g", "克", "公克"),
    **_spellings("kg", "千克", "公斤"),
    **_spellings("mg", "毫克"),
    **_spellings("lb", "磅"),
    **_spellings("oz", "盎司"),
    **_spellings("ml", "毫升"),
    **_spellings("l", "升", "公升"),
    **_spellings("cup", "杯"),
    **_spellings("bowl", "碗"),
    **_spellings("package", "盒", "包"),
    **_spellings("tbsp", "湯匙", "汤匙", "大匙", "大さじ"),
    **_spellings("tsp", "茶匙", "小匙", "小さじ"),
    **_spellings("slice", "片"),
    **_spellings("piece", "塊", "块"),
    **_spellings("tsp", "匙"),
    **_spellings("serving", "份"),
}

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
