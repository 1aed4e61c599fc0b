"""Rule-based extraction of Libya–Türkiye official contacts from one article.

The steps, one module each:

- ``text``: body paragraphs (headlines, captions and "Explore" lists have no final
  punctuation), sentences, wire datelines;
- ``triggers`` and ``status``: the verb or noun that states a contact and its status
  (occurred, planned, denied; wishes, refusals and speculation are none), words in
  ``lexicon`` (read from ``data/english.yaml``);
- ``actors`` and ``roles``: who takes part, on which side, in what office — the gazetteer,
  titles before names, a surname the story gave in full, an Arabic name in another
  spelling (``pipeline.transliteration``); ``unlisted``: people the gazetteer does not
  list; ``context``: the actor record and what the article has told so far;
- ``places`` and ``timing``: where, and when ("last Thursday" against the publication
  date; the day a lede gives; recent past without a day; history is dropped);
- ``assembly``: a contact stated across sentences or in the headline, contacts counted as
  analysts count them, restatements merged (the rule in ``pipeline.merge``);
- per language: ``english`` (spaCy's parse; ``sentences`` reads one at a time, ``clauses``
  sets apart the clauses of another time, ``neighbours`` gives a contact its missing side
  and day from the sentences around it, ``english_contacts`` counts the contacts a
  sentence tells), ``turkish`` and ``arabic`` (gazetteer-anchored
  rules in ``anchored``, cues in ``data/turkish.yaml`` and ``data/arabic.yaml``).

Precision still comes first: an event needs a trigger and a Turkish and a Libyan party.
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

EXTRACTOR_VERSION = "rules-2.5"


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
