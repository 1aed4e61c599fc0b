"""Arabic: gazetteer-anchored rules over folded text (data/arabic.yaml).

Arabic writes a conjunction or preposition together with the next word ("والدبيبة",
"بطرابلس"): before matching, a one-letter prefix joined to the article "ال" is turned
into a space, which keeps every offset of the text (the gazetteer's matches must stay
valid in the original). Places follow a preposition ("في طرابلس", "بالعاصمة طرابلس").
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from pipeline.dates_arabic import find_arabic_date_mentions
from pipeline.extract.anchored import (
    AnchoredLanguage,
    extract_anchored_events,
    gazetteer_actors,
    load_rules,
    marked_place,
)
from pipeline.gazetteer import Gazetteer, Mention, normalise
from pipeline.records import ExtractedEvent

# "و" and, "ف" so, "ب" with/in, "ل" for, "ك" as — joined to a definite word.
_JOINED_PREFIX = re.compile(r"(?<![\w])[وفبلك](?=ال\w)")


def separate_prefixes(text: str) -> str:
    """ "والدبيبة" → " الدبيبة": the joined prefix becomes a space, offsets unchanged."""
    return _JOINED_PREFIX.sub(" ", text)


@cache
def _place_before() -> re.Pattern[str]:
    words = load_rules("arabic").raw["place_prepositions"]
    alternatives = "|".join(sorted({normalise(w) for w in words}, key=len, reverse=True))
    return re.compile(rf"(?:(?<!\w)(?:{alternatives})\s*)$")


def _arabic_place(
    gaz: Gazetteer, sentence: str, mentions: list[Mention]
) -> tuple[str | None, str | None]:
    folded = normalise(sentence)
    before = _place_before()
    return marked_place(
        gaz, mentions, lambda m: bool(before.search(folded[max(0, m.start - 20) : m.start]))
    )


ARABIC = AnchoredLanguage(
    rules=load_rules("arabic"),
    find_dates=find_arabic_date_mentions,
    place=_arabic_place,
    actors=gazetteer_actors,
    prepare=separate_prefixes,
)


def extract_arabic_events(
    text: str, *, published: dt.date | None, title: str | None = None
) -> list[ExtractedEvent]:
    """Contacts between known actors in an Arabic-language article."""
    return extract_anchored_events(text, published=published, title=title, language=ARABIC)
