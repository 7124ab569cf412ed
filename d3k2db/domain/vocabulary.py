"""The data's own words in the chosen language: units, categories, flag kinds, what a measurement covers.

The seed stores these as English codes (``cup``, ``fermented_soy``, ``doubtful``); JSON and CSV keep
the codes, tables print them through the catalog. Each word is marked ``N_`` here so the catalog
has it; a word the catalog does not know (a unit of your own) prints as stored.
"""

from __future__ import annotations

import functools
import re

from ..i18n import ENGLISH, N_, NC_, _, language, pgettext

UNITS = [
    # mass and volume
    N_("g"), N_("kg"), N_("mg"), N_("oz"), N_("lb"), N_("tsp"), N_("tbsp"), N_("cup"), N_("fl oz"),
    N_("pint"), N_("ml"), N_("l"), N_("dl"), N_("quart"), N_("cubic inch"),
    # household
    N_("slice"), N_("piece"), N_("clove"), N_("pat"), N_("serving"), N_("stick"), N_("wedge"), N_("cube"),
    N_("yolk"), N_("link"), N_("fillet"), N_("package"), N_("container"), N_("can"), N_("jar"),
    N_("glass"), N_("bowl"), N_("mug"), N_("handful"), N_("small"), N_("medium"), N_("large"),
    N_("extra large"), N_("jumbo"),
    # published portions (data/portions.csv)
    N_("back"), N_("breast"), N_("can drained solid"), N_("chicken"), N_("cup grated"), N_("drumstick"),
    N_("duck"), N_("ear"), N_("egg"), N_("frankfurter"), N_("goose"), N_("guinea"), N_("heart"),
    N_("jar beech-nut stage 1"), N_("jar gerber second food"), N_("jar heinz strained-2"), N_("kidney"),
    N_("leg"), N_("liver"), N_("lobster"), N_("medallion"), N_("patty"), N_("quail"), N_("roast"),
    N_("slice round"), N_("squab"), N_("steak"), N_("thigh"), N_("unit 2 large or 5 small"), N_("wing"),
    # SR28 household measures of the foods the seed grew by (data/portions.csv; a unit word a portion
    # table prints, with its size kept in its published description)
    N_("almond"), N_("bag"), N_("bagel"), N_("bar"), N_("bean"), N_("biscuit"),
    N_("biscuit regular size biscuit"), N_("block"), N_("box"), N_("bulb peeled"), N_("bunch"), N_("cake"),
    N_("can 10.5 oz"), N_("can drained"), N_("chip"), N_("chop"), N_("coconut yield"), N_("cookie"),
    N_("cookie pepperidge farm chocolate chunk pecan"), N_("corndog"), N_("corndog mini"), N_("cracker"),
    N_("cracker square"), N_("crackers square"), N_("croissant"), N_("crust"), N_("cucumber"),
    N_('cup 1" piece'), N_('cup 1/2" chunk'), N_('cup 1/2" piece'), N_("cup chopped"), N_("cup crushed"),
    N_("cup diced"), N_("cup dry mix"), N_("cup elbow"), N_("cup farfalle"), N_("cup lasagne"),
    N_("cup oyster cracker"), N_("cup penne"), N_("cup piece"), N_("cup pieces or chip"),
    N_("cup pieces or slice"), N_("cup prepared"), N_("cup rotini"), N_("cup shell"), N_("cup shelled"),
    N_("cup shredded"), N_("cup slice"), N_("cup sliced"), N_("cup sliced or chip"), N_("cup spaghetti"),
    N_("cup spaghetti not packed"), N_("cup spaghetti packed"), N_("cup unprepared"), N_("cup whole"),
    N_("cup whole kernel"), N_("donut"), N_("doughnut"), N_("doughnut medium"), N_("doughnut stick"),
    N_("each"), N_("egg roll"), N_("extra small"), N_("filet"), N_("floweret"), N_("fruit"), N_("gherkin"),
    N_("gold fish"), N_("goldfish"), N_("head"), N_("head large"), N_("head medium"), N_("head small"),
    N_("hot pocket"), N_("individual packet"), N_("jar 10.5 oz"), N_("jar 12 oz"),
    N_("jar beech-nut stage 2"), N_("jar beech-nut stage i"), N_("jar earth's best"),
    N_("jar gerber first food"), N_("jar heinz beginner-1"), N_("large bagel"), N_("large gherkin"),
    N_("lb whole"), N_("leaf"), N_("leaf inner"), N_("leaf outer"), N_("medium bagel"), N_("midget gherkin"),
    N_("mini bagel"), N_("nut"), N_("olive"), N_("order"), N_("oz whole"), N_("package 1.25 oz"),
    N_("package yield"), N_("packet"), N_("pad"), N_("pad peeled"), N_("pastry"), N_("peanut"), N_("pie"),
    N_("pie 1 pie"), N_('pie 12" diameter'), N_("pie 22.1 oz"), N_("pie 23 oz"), N_("pie 24.8 oz"),
    N_("pie crust"), N_("piece center"), N_("piece chip"), N_("piece corner"), N_("piece side"),
    N_("piece whole"), N_("pizza"), N_("recipe yield"), N_("roast rump"), N_("roll"), N_("roll 1 serving"),
    N_("serving 4 pieces in serving"), N_("shoot"), N_("slice 1/4 of pie"), N_("small bagel"),
    N_("small gherkin"), N_("snack stick"), N_("spear"), N_("spear gherkin"), N_("stalk"), N_("strip"),
    N_("sweetpotato"), N_("tablespoon"), N_("teaspoon"), N_("tortilla"), N_("tortilla medium"),
    N_("triscuit"), N_("triscuit bit"), N_("tsp or 1 packet"), N_("wafer"), N_("wafers mini wafer"),
]  # fmt: skip

CATEGORIES = [
    NC_("category", "cheese"), NC_("category", "dairy"), NC_("category", "egg"), NC_("category", "fat"),
    NC_("category", "fermented_soy"), NC_("category", "fermented_vegetable"), NC_("category", "fish"),
    NC_("category", "meat"), NC_("category", "organ"), NC_("category", "other"), NC_("category", "poultry"),
    NC_("category", "plant"), NC_("category", "dish"), NC_("category", "drink"), NC_("category", "custom"),
]  # fmt: skip
# The groups a food's only measurement is compared with (an outlier's reason names one): the
# categories, and these, read like a category.
OUTLIER_GROUPS = [NC_("category", "fermented dairy")]
# A category's name in English where it is not its code (a code not listed reads with spaces for '_').
CATEGORY_NAMES = {"fermented_soy": "fermented soy", "fermented_vegetable": "fermented vegetable"}

FLAG_KINDS = [N_("doubtful"), N_("outlier"), N_("derived"), N_("other product"), N_("uncertain")]
COVERAGE = [N_("complete"), N_("total"), N_("partial")]
SEED_PARTS = [N_("foods"), N_("measurements"), N_("aliases"), N_("portions")]

GRAMS = N_("{amount} g")
MILLILITRES = N_("{amount} ml")


def word(code: str | None) -> str:
    """A unit, category, flag kind or coverage code in the chosen language (as stored if unknown);
    a counted label the catalog does not know reads through :func:`label` ('3 oz' → '3 盎司')."""
    if not code:
        return ""
    translated = _(code)
    if translated == code and language() != ENGLISH and re.match(_COUNTED, code):
        return label(code)
    return translated


def category(code: str) -> str:
    """A food category by its name in the chosen language: 'fermented_soy' → 'fermented soy',
    '發酵黃豆'; a code the catalog does not know reads with spaces ('dairy_and_egg_products')."""
    if not code:
        return ""
    if language() == ENGLISH:
        return CATEGORY_NAMES.get(code) or code.replace("_", " ")
    named = pgettext("category", code)
    return named.replace("_", " ") if named == code else named


# The MK-4 / MK-7 tag (README, "The MK-4 / MK-7 tag"): the kind of K2 a food's kind holds, never a
# measured form by itself. It is shown with the food's main measured form beside it, or, where no
# measurement tells the forms apart, with what it stands for; JSON carries ``tag_meaning`` (a code).
TAG_MEANINGS = {"MK-4": "animal MK-4", "MK-7": "bacterial long-chain MK-7…MK-10"}
TAG_WITH_MAIN_FORM = N_("{tag} · main {form}")
LONG_CHAIN = N_("long-chain (MK-7…MK-10)")


def tag_meaning(tag: str | None) -> str | None:
    """What a tag stands for, as a stable English code (the same in every language); None untagged."""
    return TAG_MEANINGS.get(tag or "")


def tag_text(tag: str | None, main_form: str | None) -> str:
    """A tag as a reader must see it: 'MK-7 · main MK-9' when the main measured form is known and is
    not the tag itself, else 'long-chain (MK-7…MK-10)' for MK-7 and 'MK-4' for MK-4; '' for no tag."""
    if not tag:
        return ""
    if main_form == tag:  # natto: 'MK-7', an egg: 'MK-4' — the main form is the tag's own
        return tag
    if main_form:
        return _(TAG_WITH_MAIN_FORM).format(tag=tag, form=main_form)
    return _(LONG_CHAIN) if tag == "MK-7" else tag


def with_weight(text: str, weight: str) -> str:
    """'1 large (50 g)' / '1 大（50 公克）'."""
    return _("{label} ({weight})").format(label=text, weight=weight)


def g(amount: str) -> str:
    """'50 g' / '50 公克' / '50 克'."""
    return _(GRAMS).format(amount=amount)


def ml(amount: str) -> str:
    return _(MILLILITRES).format(amount=amount)


_COUNTED = r"^(?P<n>\d+(?:\.\d+)?) (?P<unit>.+)$"


def label(text: str) -> str:
    """A serving or portion label '1 large' → '1 大'; '100 g' → '100 公克'."""
    if language() == ENGLISH:
        return text
    found = re.match(_COUNTED, text)
    if not found:
        return word(text)
    if found["unit"] == "g":
        return g(found["n"])
    return f"{found['n']} {word(found['unit'])}"


# The reasons the seed build writes for outliers, derived figures and uncertain foods
# (d3k2db.domain.evidence, tools/): read out in the chosen language. A curated reason (a source's own doubt,
# written by a person, with its quotations) is read from data/flag_texts.csv (``curated_reason``),
# else stays as written, like a citation.
_FLAG_REASONS: list[tuple[str, str]] = [  # (pattern, message): compiled on first use
    (
        (
            r"(?P<value>[\d.]+) µg/100 g is (?P<times>\d+) times the median of (?P<group>\w+(?: \w+)*) foods "
            r"\((?P<median>[\d.]+)\), with no two other measurements of the food to compare$"
        ),
        N_(
            "{value} µg/100 g is {times} times the median of {group} foods ({median}), "
            "with no two other measurements of the food to compare"
        ),
    ),
    (
        (
            r"(?P<value>[\d.]+) µg/100 g against (?P<median>[\d.]+) for the food's other measurements "
            r"\(median\): above them (?P<times>\d+)-fold$"
        ),
        N_(
            "{value} µg/100 g against {median} for the food's other measurements (median): "
            "above them {times}-fold"
        ),
    ),
    (
        (
            r"(?P<value>[\d.]+) µg/100 g against (?P<median>[\d.]+) for the food's other measurements "
            r"\(median\): below them (?P<times>\d+)-fold$"
        ),
        N_(
            "{value} µg/100 g against {median} for the food's other measurements (median): "
            "below them {times}-fold"
        ),
    ),
    (
        (r"(?P<value>[\d.]+) µg/100 g against (?P<median>[\d.]+) for the food's other measurements$"),
        N_("{value} µg/100 g against {median} for the food's other measurements"),
    ),
    (
        (
            r"SR28 derivation code (?P<code>\w+), 0 analysed samples: "
            r"the MK-4 figure is calculated or imputed by USDA, not measured$"
        ),
        N_(
            "SR28 derivation code {code}, 0 analysed samples: "
            "the MK-4 figure is calculated or imputed by USDA, not measured"
        ),
    ),
    (
        (
            r"measurements of this food range from (?P<low>[\d.]+) to (?P<high>[\d.]+) µg/100 g "
            r"\((?P<times>\d+)-fold\)$"
        ),
        N_("measurements of this food range from {low} to {high} µg/100 g ({times}-fold)"),
    ),
]

FLAG_TEXTS = "flag_texts.csv"  # en,zh-Hant,zh-Hans: a curated reason in each script (data/)


@functools.cache
def _curated() -> dict[str, dict[str, str]]:
    """{English reason: {language: text}} from data/flag_texts.csv, read once; {} without the file."""
    from ..files.reading import read_table
    from ..resources import data_dir

    path = data_dir() / FLAG_TEXTS
    if not path.is_file():
        return {}
    return {
        row["en"].strip(): {lang: row[lang].strip() for lang in ("zh-Hant", "zh-Hans")}
        for _line, row in read_table(path, ("en", "zh-Hant", "zh-Hans"))
        if row["en"].strip()
    }


def curated_reason(reason: str, lang: str | None = None) -> str | None:
    """A curated reason in ``lang`` (the chosen language), from data/flag_texts.csv; None when the
    file has none for it (or in English, which reads nothing)."""
    lang = lang or language()
    if lang == ENGLISH:
        return None
    return _curated().get(reason.strip(), {}).get(lang) or None


def curated_reasons(lang: str | None = None) -> dict[str, str]:
    """{English reason: its text in ``lang``} for the web page's script ({} in English)."""
    lang = lang or language()
    if lang == ENGLISH:
        return {}
    return {en: texts[lang] for en, texts in _curated().items() if texts.get(lang)}


def flag(text: str) -> str:
    """'outlier: reason' with its kind and its reason in the chosen language: a generated reason
    through the catalog (a category in it by its name, in English too), a curated one from
    data/flag_texts.csv, else as stored."""
    kind, sep, reason = text.partition(": ")
    if not sep:
        return text
    for pattern, template in _FLAG_REASONS:
        found = re.match(pattern, reason)
        if found:
            fields = found.groupdict()
            if "group" in fields:
                fields["group"] = category(fields["group"])
            reason = _(template).format(**fields)
            break
    else:
        reason = curated_reason(reason) or reason
    return _("{kind}: {reason}").format(kind=word(kind), reason=reason)


# Why a headline figure was chosen and what its tag means are written by the seed build (English,
# stored with the food: d3k2db.domain.evidence); they are read back here, part by part, in the
# chosen language.
_REASON_PARTS: list[tuple[str, str]] = [  # (pattern, message): compiled on first use
    (r"the only measurement$", N_("the only measurement")),
    (r"the only measurement: your own figures$", N_("the only measurement: your own figures")),
    (r"the only unflagged measurement$", N_("the only unflagged measurement")),
    (r"the only total or complete measurement$", N_("the only total or complete measurement")),
    (
        r"the only unflagged total or complete measurement$",
        N_("the only unflagged total or complete measurement"),
    ),
    (
        r"the lower median of (?P<count>\d+) measurements$",
        N_("the lower median of {count} measurements"),
    ),
    (
        r"the lower median of (?P<count>\d+) unflagged measurements$",
        N_("the lower median of {count} unflagged measurements"),
    ),
    (
        r"the lower median of (?P<count>\d+) total or complete measurements$",
        N_("the lower median of {count} total or complete measurements"),
    ),
    (
        r"the lower median of (?P<count>\d+) unflagged total or complete measurements$",
        N_("the lower median of {count} unflagged total or complete measurements"),
    ),
    (
        r"(?P<partial>\d+) partial \(some forms only\) and (?P<flagged>\d+) flagged not used$",
        N_("{partial} partial (some forms only) and {flagged} flagged not used"),
    ),
    (
        r"(?P<partial>\d+) partial \(some forms only\) not used$",
        N_("{partial} partial (some forms only) not used"),
    ),
    (r"(?P<flagged>\d+) flagged not used$", N_("{flagged} flagged not used")),
    (
        r"the only measurement resolving the most forms$",
        N_("the only measurement resolving the most forms"),
    ),
    (
        r"the only unflagged measurement resolving the most forms$",
        N_("the only unflagged measurement resolving the most forms"),
    ),
    (
        r"the lower median of (?P<count>\d+) measurements resolving the most forms$",
        N_("the lower median of {count} measurements resolving the most forms"),
    ),
    (
        r"the lower median of (?P<count>\d+) unflagged measurements resolving the most forms$",
        N_("the lower median of {count} unflagged measurements resolving the most forms"),
    ),
    (
        r"(?P<partial>\d+) resolving fewer forms and (?P<flagged>\d+) flagged not used$",
        N_("{partial} resolving fewer forms and {flagged} flagged not used"),
    ),
    (r"(?P<partial>\d+) resolving fewer forms not used$", N_("{partial} resolving fewer forms not used")),
    (
        r"in animal tissue an MK-4 figure counts as its K2$",
        N_("in animal tissue an MK-4 figure counts as its K2"),
    ),
    (r"every measurement is flagged$", N_("every measurement is flagged")),
    (r"flagged$", N_("flagged")),
    (r"no total or complete measurement exists$", N_("no total or complete measurement exists")),
    (
        (
            r"its largest measured form is (?P<form>MK-\d+), an animal-tissue form; "
            r"tagged (?P<tag>MK-\d+) by its kind$"
        ),
        N_("its largest measured form is {form}, an animal-tissue form; tagged {tag} by its kind"),
    ),
    (
        (
            r"its largest measured form is (?P<form>MK-\d+), a bacterial long-chain form; "
            r"tagged (?P<tag>MK-\d+) by its kind$"
        ),
        N_("its largest measured form is {form}, a bacterial long-chain form; tagged {tag} by its kind"),
    ),
]


def stored_note(text: str) -> str:
    """A stored headline reason or tag note ('the lower median of 3 measurements; 1 flagged not used')
    in the chosen language, part by part; a part of another shape is kept as stored."""
    if not text or language() == ENGLISH:  # as stored
        return text
    whole = _note_part(text)  # a tag note is one part with a ';' of its own
    if whole is not None:
        return whole
    return _("; ").join(_note_part(part) or part for part in text.split("; "))


def _note_part(part: str) -> str | None:
    for pattern, template in _REASON_PARTS:
        found = re.match(pattern, part)  # re caches the compiled pattern
        if found:
            return _(template).format(**found.groupdict())
    return None


FLAG_REASONS = _FLAG_REASONS  # (pattern, message) for the web page's script, which reads flags too
