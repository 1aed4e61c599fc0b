"""Turkish: gazetteer-anchored rules over folded text (data/turkish.yaml).

Names carry case suffixes after an apostrophe ("Hafter'le", "Bingazi'de"): gazetteer
matching stops at the apostrophe, and the suffix tells a place of meeting ('de/'da) from
other uses of a city name. Who a sentence names is read in turkish_people.py.
The verb comes last, so a sentence's contact day is the day word nearest its end.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from functools import cache, partial

from pipeline.dates_turkish import find_turkish_date_mentions
from pipeline.extract.anchored import AnchoredLanguage, extract_anchored_events
from pipeline.extract.anchored_parties import marked_place
from pipeline.extract.text import is_body_paragraph, split_sentences
from pipeline.extract.turkish_morphology import Morphology, lemma_trigger, separate_office_endings
from pipeline.extract.turkish_people import turkish_actors, turkish_rules
from pipeline.gazetteer import Gazetteer, Mention, load_gazetteer, normalise
from pipeline.records import ExtractedEvent
from pipeline.settings import get_settings


def extract_turkish_events(
    text: str,
    *,
    published: dt.date | None,
    title: str | None = None,
    morphology: Morphology | None = None,
) -> list[ExtractedEvent]:
    """Contacts between known actors in a Turkish-language article.

    ``morphology`` (default: the setting ``turkish_morphology``) adds triggers read by a
    package's lemmas to the patterns (pipeline/extract/turkish_morphology.py).
    """
    language = turkish_language(morphology or get_settings().turkish_morphology)
    return extract_anchored_events(text, published=published, title=title, language=language)


@cache
def turkish_language(morphology: Morphology) -> AnchoredLanguage:
    if morphology == "rules":
        return TURKISH
    return replace(TURKISH, fallback_trigger=partial(lemma_trigger, morphology=morphology))


def _turkish_place(
    gaz: Gazetteer, sentence: str, mentions: list[Mention]
) -> tuple[str | None, str | None]:
    """The city (and country) a case suffix marks as the place: "Bingazi'de", "Trablus'a"."""
    suffix = turkish_rules().place_suffix
    folded = normalise(sentence)
    return marked_place(gaz, mentions, lambda m: bool(suffix.match(folded[m.end :])))


# Two clauses joined by "ve" after a finite verb, the second with a subject or agent of its
# own ("… ile görüşmelerde bulunacak ve Cumhurbaşkanı X tarafından kabul edilecek"): two
# contacts, each with its own party. The verb ends in a tense (future, past, evidential).
_CLAUSE_JOIN = re.compile(
    r"(?:(?<=\w[ae]cak)|(?<=\w[ae]cek)|(?<=[ae]caktır)|(?<=[ae]cektir)|(?<=\w[dt][ıiuü])"
    r"|(?<=\wm[ıiuü]ş)|(?<=m[ıiuü]şt[ıiuü]r)),? ve (?=[A-ZÇĞİÖŞÜ])"
)


def split_turkish_sentences(paragraph: str) -> list[str]:
    """Sentences, and within them clauses that each tell a contact of their own."""
    return [clause for sentence in split_sentences(paragraph) for clause in _clauses(sentence)]


def _clauses(sentence: str) -> list[str]:
    """The clauses of a sentence when each names a party of the same side: "… Erdoğan ile
    görüşecek ve Gül tarafından kabul edilecek" is two contacts; "Fidan Trablus'ta
    bulundu ve Dibeybe ile görüştü" is one, told in two verbs."""
    pieces = [p for p in _CLAUSE_JOIN.split(sentence) if p.strip()]
    if len(pieces) < 2:
        return [sentence]
    gaz = load_gazetteer()
    sides = [
        {a.side for a in turkish_actors(piece, gaz.find_mentions(piece), gaz, set(), None)}
        for piece in pieces
    ]
    if any(not sides[i] & sides[i + 1] for i in range(len(pieces) - 1)):
        return [sentence]
    return pieces


_MIN_CUT_SENTENCE_WORDS = 25


# The close of a paragraph leading into a quote: a sentence before it, a verb of saying.
_QUOTE_LEAD = re.compile(r"[.!?]\s+\S.*\b(?:şöyle|şunları|şu)\b[^.]*\w:$")


def is_turkish_body(paragraph: str) -> bool:
    """A body paragraph, or one long sentence cut off mid-word by the page's excerpt ("…
    söz verdiğini ve geldiğini s"): a clause break inside, a lower-case end, and more words
    than any headline or caption has."""
    if is_body_paragraph(paragraph):
        return True
    if paragraph.endswith(":") and _QUOTE_LEAD.search(paragraph):
        # "… hatırlattı. Aksoy, açıklamalarına şöyle devam etti:": prose leading into a
        # quote the page put in a paragraph of its own.
        return True
    return (
        len(paragraph.split()) >= _MIN_CUT_SENTENCE_WORDS
        and "," in paragraph
        and paragraph.rstrip()[-1:].islower()
    )


def prepare_turkish(text: str) -> str:
    """Offices as the gazetteer lists them, page stamps blanked (offsets kept)."""
    text = turkish_rules().page_stamp.sub(lambda m: " " * len(m.group(0)), text)
    return separate_office_endings(text)


TURKISH = AnchoredLanguage(
    rules=turkish_rules().anchored,
    find_dates=find_turkish_date_mentions,
    place=_turkish_place,
    actors=turkish_actors,
    prepare=prepare_turkish,
    split=split_turkish_sentences,
    is_body=is_turkish_body,
    verb_final=True,
)
