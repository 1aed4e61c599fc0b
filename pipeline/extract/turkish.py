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

from pipeline.dates import DateMention
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


# A quotation: straight or curly double quotes, or guillemets; the sentence may end
# before the quote closes ("… açıklamada, “Geçen hafta X ile görüştüm.").
_QUOTE = re.compile(r"[“\"«]([^”\"»]{12,})(?:[”\"»]|$)")


def _turkish_dates(text: str, published: dt.date, *, future: bool = False) -> list[DateMention]:
    """The day words of a sentence, only those inside the quote when the contact is told in
    one ("Erdoğan Cuma günü şunları söyledi: “Geçen hafta Serrac ile bir kabulüm oldu”"):
    the day of the speech outside it is not the day of the contact."""
    found = find_turkish_date_mentions(text, published, future=future)
    for quote in _QUOTE.finditer(text):
        inside = normalise(quote.group(1))
        if any(pattern.search(inside) for pattern, _, _ in turkish_rules().anchored.triggers):
            own = [m for m in found if quote.start(1) <= m.start and m.end <= quote.end(1)]
            if own:  # a quote with no day word of its own leaves the sentence's ("dün")
                return own
    return found


def _turkish_place(
    gaz: Gazetteer, sentence: str, mentions: list[Mention]
) -> tuple[str | None, str | None]:
    """The city (and country) a case suffix marks as the place: "Bingazi'de", "Trablus'a"."""
    suffix = turkish_rules().place_suffix
    folded = normalise(sentence)
    city, country = marked_place(gaz, mentions, lambda m: bool(suffix.match(folded[m.end :])))
    if city is not None:
        return city, country
    trip = re.compile(turkish_rules().anchored.raw["trip_nouns"])
    for mention in mentions:  # "Bingazi ziyareti sırasında": a city only
        place = gaz.place_for_mention(mention)
        if place is not None and not place.is_country and trip.match(folded[mention.end :]):
            return place.name, place.country
    # "TBMM'de bir araya geldi": a venue of the Turkish state, whose city goes unsaid.
    venue = next((v for v in _venues() if re.search(v["pattern"], folded)), None)
    return (venue["city"], venue["country"]) if venue else (city, country)


@cache
def _venues() -> list[dict[str, str]]:
    return list(turkish_rules().anchored.raw.get("venues") or [])


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
    find_dates=_turkish_dates,
    place=_turkish_place,
    actors=turkish_actors,
    prepare=prepare_turkish,
    split=split_turkish_sentences,
    is_body=is_turkish_body,
    verb_final=True,
)
