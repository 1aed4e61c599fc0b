"""Other countries' names, from the Unicode CLDR through Babel: a title written after one
("Gana Dışişleri Bakanı X") is a third country's office, whatever the gazetteer lists.

The gazetteer names the two sides and the third countries that sit in their meetings; news
names any country in the world, and an office after an unknown one must not fall back to
Türkiye's ("Dışişleri Bakanı" alone is the Turkish foreign minister).
"""

from __future__ import annotations

import re
from functools import cache

from babel import Locale

# Region codes of the two sides, and CLDR's groupings that are not countries ("001" World,
# "EU", "UN", "EZ", "QO"): none of them is a third country.
_NOT_THIRD = {"TR", "LY", "EU", "EZ", "UN", "QO", "ZZ"}
# Country names that are everyday words too ("mali": financial, "Mali Suçları Araştırma
# Kurulu" is Türkiye's financial crimes board): never taken for the country.
_ALSO_WORDS = {"tr": {"Mali", "Malili"}}
# Turkish forms a demonym with -lı/-li/-lu/-lü by the last vowel ("Ganalı", "Katarlı").
_TURKISH_HARMONY = {"a": "ı", "ı": "ı", "e": "i", "i": "i", "o": "u", "u": "u", "ö": "ü", "ü": "ü"}


def _turkish_demonym(name: str) -> str | None:
    vowels = [c for c in name.lower() if c in _TURKISH_HARMONY]
    return f"{name}l{_TURKISH_HARMONY[vowels[-1]]}" if vowels else None


@cache
def third_country_names(language: str) -> frozenset[str]:
    """Every country's name in ``language`` but Türkiye's and Libya's (Turkish: with the
    demonym too)."""
    names: set[str] = set()
    for code, name in Locale(language).territories.items():
        if code in _NOT_THIRD or code.isdigit():
            continue
        names.add(name)
        if language == "tr" and (demonym := _turkish_demonym(name)):
            names.add(demonym)
    return frozenset(names - _ALSO_WORDS.get(language, set()))


@cache
def third_country_re(language: str) -> re.Pattern[str]:
    """A third country's name as a whole word, with a Turkish suffix after an apostrophe."""
    names = sorted(third_country_names(language), key=len, reverse=True)
    return re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, names))})(?:['’]\w+)?(?!\w)")
