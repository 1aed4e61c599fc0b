"""Length-preserving text folding, the way the gazetteer compares names.

Casefold, diacritics stripped, Turkish dotless ı folded, hyphens and curly quotes unified:
every character maps to exactly one character, so a match found in folded text has valid
offsets in the original text too.
"""

from __future__ import annotations

import unicodedata
from functools import cache

# Characters whose NFKD decomposition does not give the ASCII letter we want.
_SPECIAL_FOLDS = {"ı": "i", "İ": "i", "ß": "s", "ø": "o", "Ø": "o", "đ": "d", "ł": "l"}
# Apostrophes, hyphens and dashes written many ways in scraped text.
_PUNCT_FOLDS = {"’": "'", "‘": "'", "ʼ": "'", "`": "'", "-": " ", "‐": " ", "‑": " ", "–": " "}


@cache
def _fold_char(char: str, keep_case: bool) -> str:
    if char in _PUNCT_FOLDS:
        return _PUNCT_FOLDS[char]
    if char in _SPECIAL_FOLDS:
        folded = _SPECIAL_FOLDS[char]
        return folded.upper() if keep_case and char.isupper() else folded
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    if len(base) != 1:
        base = char  # keep offsets aligned: never change the length of the text
    if keep_case:
        return base
    lowered = base.lower()
    return lowered if len(lowered) == 1 else base


class _FoldTable(dict[int, str]):
    """A ``str.translate`` table that folds each character the first time it is seen: the
    whole text is then folded in C, not one Python call per character."""

    def __init__(self, keep_case: bool) -> None:
        super().__init__()
        self.keep_case = keep_case

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code), self.keep_case)
        return folded


_FOLD_TABLES = {False: _FoldTable(keep_case=False), True: _FoldTable(keep_case=True)}


def normalise(text: str, *, keep_case: bool = False) -> str:
    """Casefold (unless ``keep_case``) and strip diacritics, one character for one."""
    return text.translate(_FOLD_TABLES[keep_case])


def normalise_name(name: str) -> str:
    """A comparison key for names: normalised, hyphen/space runs collapsed."""
    return " ".join(normalise(name).replace("'", " ").split())
