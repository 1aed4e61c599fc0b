"""Rule-based extraction of Libya–Türkiye official contacts from one article.

Precision comes first: an event is emitted only for a sentence of body prose that has
an event trigger (a verb like "met", or a noun carried by a light verb like "paid a
visit"), at least one named person, and participants from both sides. Sentences that
report history, speculate, ask or set conditions are dropped. Headline-like lines
(no final punctuation: titles, captions, "Explore" lists) never produce events; they
only lend context (full names, the place in the title).

Pipeline per article: gazetteer matches on the whole text (cheap) → spaCy on the body
paragraphs → per sentence: trigger → actors → status/history → date → place → event;
"X and Y also took part" sentences add participants to the previous event; restatements
of the same contact are merged.
"""

from __future__ import annotations

import datetime as dt

from pipeline.extract.arabic import extract_arabic_events
from pipeline.extract.english import extract_english_events
from pipeline.extract.plover import plover_category
from pipeline.extract.text import split_sentences, strip_dateline
from pipeline.extract.turkish import extract_turkish_events
from pipeline.records import ExtractedEvent, PageAnalysis
from pipeline.relevance import is_relevant

EXTRACTOR_VERSION = "rules-2.0"


# ------------------------------------------------------------------ public API
def analyse_page(
    text: str,
    *,
    url: str | None = None,
    title: str | None = None,
    published: dt.date | None = None,
    language: str | None = None,
) -> PageAnalysis:
    """Relevance first (cheap), then extraction only for relevant pages."""
    relevant = is_relevant(text, title)
    events = (
        extract_events(text, published=published, title=title, language=language)
        if relevant
        else []
    )
    return PageAnalysis(
        url=url,
        title=title,
        published=published,
        language=language,
        relevant=relevant,
        text=text,
        events=events,
    )


def extract_events(
    text: str,
    *,
    published: dt.date | None,
    title: str | None = None,
    language: str | None = "en",
) -> list[ExtractedEvent]:
    """The Libya–Türkiye contacts the article reports, one per distinct contact."""
    if language and language.lower().startswith("tr"):
        return extract_turkish_events(text, published=published, title=title)
    if language and language.lower().startswith("ar"):
        return extract_arabic_events(text, published=published, title=title)
    if language and not language.lower().startswith("en"):
        return []  # English, Turkish and Arabic only
    return extract_english_events(text, published=published, title=title)


__all__ = [
    "EXTRACTOR_VERSION",
    "analyse_page",
    "extract_events",
    "plover_category",
    "split_sentences",
    "strip_dateline",
]
