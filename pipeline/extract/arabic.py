"""Arabic: gazetteer-anchored rules over folded text (data/arabic.yaml).

Arabic writes a conjunction or preposition together with the next word ("والدبيبة",
"بطرابلس"): before matching, a one-letter prefix joined to the article "ال" is turned
into a space, and one joined to a city the gazetteer knows ("باسطنبول") is written apart
("ب اسطنبول"), so the city is found and its preposition still marks it as the place.
Short vowels and the shadda are optional in Arabic and rare in news, but a page that
writes one ("وقّع") breaks every word pattern: they are dropped. Places follow a
preposition ("في طرابلس", "بالعاصمة طرابلس").

Arabic has no capitals, so the shared sentence splitter (which wants a capital after the
stop) leaves an Arabic paragraph whole: it is split again at a stop before Arabic script.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from pipeline.dates_arabic import find_arabic_date_mentions
from pipeline.extract.actors import Actor
from pipeline.extract.anchored import (
    AnchoredLanguage,
    extract_anchored_events,
    load_rules,
)
from pipeline.extract.anchored_joins import body_sentences, trigger_of
from pipeline.extract.anchored_parties import gazetteer_actors, marked_place
from pipeline.extract.arabic_messages import conveyed_messages
from pipeline.extract.arabic_offices import office_actors
from pipeline.extract.text import is_body_paragraph, split_sentences
from pipeline.gazetteer import Gazetteer, Mention, load_gazetteer, normalise
from pipeline.records import ExtractedEvent

# "و" and, "ف" so, "ب" with/in, "ل" for, "ك" as — joined to a definite word.
_JOINED_PREFIX = re.compile(r"(?<![\w])[وفبلك](?=ال\w)")
# Fathatan … sukun, the superscript alef, and the tatweel that stretches a word.
_VOWEL_MARKS = re.compile("[\u064b-\u0652\u0670\u0640]")
_ARABIC_LETTER = "\u0621-\u064a"
# A stop, then (after an opening quote, bracket or bullet dash) an Arabic letter.
_ARABIC_SENTENCE_END = re.compile(rf"(?<=[.!؟?])\s+(?=[\"“«(\-–]?\s*[{_ARABIC_LETTER}])")
_MIN_FUSED_NAME = 5  # letters of a one-word name a prefix may be written onto
_MIN_CUT_PROSE_WORDS = 30  # as for Latin script: a long unpunctuated line with stops inside
_ABSENT_REACH = 40  # characters from "نجل", "لوفاة" … to the name of the person it is about


def separate_prefixes(text: str) -> str:
    """ "والدبيبة" → " الدبيبة": the joined prefix becomes a space, offsets unchanged."""
    return _JOINED_PREFIX.sub(" ", text)


@cache
def _fused_place() -> re.Pattern[str]:
    """A one-letter prefix joined to a city or a person the gazetteer spells in Arabic
    ("بطرابلس", "وسبق لداود أوغلو أن زار"). A person's one-word alias must be long enough
    not to hide inside an ordinary word ("فعلي" is not "ف علي")."""
    gaz = load_gazetteer()
    people = {k for k in gaz.person_aliases if " " in k or len(k) >= _MIN_FUSED_NAME}
    names = {
        key
        for key in {*gaz.place_aliases, *people}
        if re.fullmatch(rf"[{_ARABIC_LETTER} ]+", key) and not key.startswith("ال")
    }
    alternatives = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
    return re.compile(rf"(?<!\w)([وفبل])(?=(?:{alternatives})(?!\w))")


def prepare_arabic(text: str) -> str:
    """Vowel marks dropped, joined prefixes written apart, as the gazetteer spells words."""
    text = _VOWEL_MARKS.sub("", text)
    folded = normalise(text)  # the gazetteer's keys are folded (hamza forms of alef)
    cuts = [m.end(1) for m in _fused_place().finditer(folded)]
    for cut in reversed(cuts):
        text = f"{text[:cut]} {text[cut:]}"
    return separate_prefixes(text)


def split_arabic_sentences(paragraph: str) -> list[str]:
    """The shared splitter's sentences, each split again at a stop before Arabic script."""
    return [
        piece.strip()
        for sentence in split_sentences(paragraph)
        for piece in _ARABIC_SENTENCE_END.split(sentence)
        if piece.strip()
    ]


def is_arabic_body(paragraph: str) -> bool:
    """A body paragraph, or Arabic prose cut off mid-sentence with sentences inside."""
    if is_body_paragraph(paragraph):
        return True
    return len(paragraph.split()) >= _MIN_CUT_PROSE_WORDS and bool(
        _ARABIC_SENTENCE_END.search(paragraph)
    )


@cache
def _place_before(key: str) -> re.Pattern[str]:
    words = load_rules("arabic").raw[key]
    alternatives = "|".join(sorted({normalise(w) for w in words}, key=len, reverse=True))
    return re.compile(rf"(?:(?<!\w)(?:{alternatives})\s*)$")


def _arabic_place(
    gaz: Gazetteer, sentence: str, mentions: list[Mention]
) -> tuple[str | None, str | None]:
    folded = normalise(sentence)
    before, city_before = _place_before("place_prepositions"), _place_before("city_prepositions")

    def is_marked(mention: Mention) -> bool:
        preceding = folded[max(0, mention.start - 20) : mention.start]
        if before.search(preceding):
            return True
        place = gaz.place_for_mention(mention)
        return place is not None and not place.is_country and bool(city_before.search(preceding))

    return marked_place(gaz, mentions, is_marked)


def _arabic_actors(
    sentence: str, mentions: list[Mention], gaz: Gazetteer, named: set[str], day: dt.date | None
) -> list[Actor]:
    """The listed people the sentence names, less one who only comments on the contact
    ("عقب السفير … على زيارة X لتركيا": the ambassador is not X's host) and one named as
    absent from it: a sender of greetings, a father in an apposition, the dead mourned."""
    actors = gazetteer_actors(sentence, mentions, gaz, named, day)
    offices = ARABIC.rules.raw.get("offices_alone") or []
    actors = [*actors, *office_actors(sentence, mentions, actors, gaz, named, day, offices)]
    folded = normalise(sentence)
    comment = ARABIC.rules.cue("commenting").search(folded)
    if comment is not None:
        start, end = comment.span("speaker")
        actors = [a for a in actors if not start <= a.start < end]
    # The first person named right after "نقل تحيات", "نجل", "لوفاة" is not at the contact.
    # The sender of a message is at a contact told as the message itself ("سلم … رسالة من").
    absent: set[int] = set()
    carried = _is_message(folded)
    for cue in ARABIC.rules.cue("absent_person").finditer(folded):
        if carried and ARABIC.rules.cue("message").match(folded, cue.start()):
            continue
        after = [a for a in actors if cue.end() <= a.start <= cue.end() + _ABSENT_REACH]
        if after:
            absent.add(min(after, key=lambda a: a.start).start)
    return [a for a in actors if a.start not in absent]


def _is_message(folded: str) -> bool:
    """Whether the sentence's first trigger is a message delivered (typed `other`)."""
    hit = trigger_of(folded, folded, ARABIC)
    return hit is not None and hit[0] == "other"


ARABIC = AnchoredLanguage(
    rules=load_rules("arabic"),
    find_dates=find_arabic_date_mentions,
    place=_arabic_place,
    actors=_arabic_actors,
    prepare=prepare_arabic,
    split=split_arabic_sentences,
    is_body=is_arabic_body,
)


def extract_arabic_events(
    text: str, *, published: dt.date | None, title: str | None = None
) -> list[ExtractedEvent]:
    """Contacts between known actors in an Arabic-language article."""
    events = extract_anchored_events(text, published=published, title=title, language=ARABIC)
    sentences = [sentence for _, sentence in body_sentences(prepare_arabic(text), ARABIC)]
    gaz = load_gazetteer()
    # Everyone the story names, so a surname alone ("ونقل غولر رسالة") finds its person.
    story = {
        gaz.person_aliases[m.key]
        for s in sentences
        for m in gaz.find_mentions(s)
        if m.kind == "person"
    }
    return conveyed_messages(
        sentences,
        events,
        ARABIC.rules.cue("message"),
        lambda sentence, day: _arabic_actors(
            sentence, gaz.find_mentions(sentence), gaz, story, day
        ),
        lambda sentence, day: gazetteer_actors(
            sentence, gaz.find_mentions(sentence), gaz, story, day
        ),
    )
