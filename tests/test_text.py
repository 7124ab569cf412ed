"""search_key: the one normalisation that stored names and typed terms share."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from d3k2db.domain.text import search_key, unicode_fold


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_the_ascii_shortcut_folds_exactly_like_the_unicode_path(text: str) -> None:
    assert unicode_fold(text) == text.lower()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Eggs", "egg"),
        ("CRÈME FRAÎCHE", "creme fraiche"),
        ("Crème fraîche", "CREME FRAICHE"),
        ("Emmentaler, käse", "emmentaler kase"),
        ("ｎａｔｔｏ", "natto"),  # full-width letters, as a Chinese or Japanese keyboard types them
        ("納豆", "納豆"),
        ("hard  cheeses!!", "hard cheese"),
        ("foie_gras", "foie gras"),
    ],
)
def test_spellings_that_must_meet(typed: str, stored: str) -> None:
    assert search_key(typed) == search_key(stored)


@pytest.mark.parametrize(("one", "other"), [("egg", "eggplant"), ("natto", "nat"), ("brie", "brine")])
def test_different_words_stay_apart(one: str, other: str) -> None:
    assert search_key(one) != search_key(other)
