"""Contacts told across a sentence's parts or two sentences, for the anchored languages.

A message borne to someone ("Erdoğan'ın mesajını Dibeybe'ye iletti") is a contact of its
own, with its author, beside the talks where it was handed over; a guest who joined the
meal or meeting just told ("Yemeğe X de katıldı") makes it a contact with him. Also how a
sentence's trigger and day are read, shared by the main loop.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from pipeline.dates import resolve_mentions
from pipeline.extract.actors import Actor
from pipeline.extract.assembly import Candidate, add_participants
from pipeline.extract.timing import dated_this_week, mentions_history
from pipeline.gazetteer import normalise, normalise_name
from pipeline.records import EventStatus, EventType

if TYPE_CHECKING:
    from pipeline.extract.anchored import AnchoredLanguage, AnchoredRules


def body_sentences(text: str, language: AnchoredLanguage) -> list[tuple[int, str]]:
    """The sentences of a prepared text's body paragraphs, each with its paragraph's number."""
    body = [p.strip() for p in text.splitlines() if language.is_body(p.strip())]
    return [(n, s) for n, paragraph in enumerate(body) for s in language.split(paragraph)]


def trigger_of(
    sentence: str, folded: str, language: AnchoredLanguage
) -> tuple[EventType, EventStatus] | None:
    """The contact the sentence's first matching trigger states, else the fallback's."""
    hit = next(
        (
            (kind, status)
            for pattern, kind, status in language.rules.triggers
            if pattern.search(folded)
        ),
        None,
    )
    if hit is None and language.fallback_trigger is not None:
        hit = language.fallback_trigger(sentence)
    return hit


# A quotation in straight or curly double quotes or guillemets; a sentence may end before
# the quote closes.
QUOTE_RE = re.compile(r"[“\"«]([^”\"»]{12,})(?:[”\"»]|$)")


def quoted_spans(sentence: str, folded: str, language: AnchoredLanguage) -> list[tuple[int, int]]:
    """The quotations of a sentence whose contact is told outside them ("Erdoğan, görüşme
    öncesi yaptığı açıklamada, “Hafter'in saldırgan tutumu sona ermeli” dedi"): whoever a
    speaker names in them is what he spoke of, not a party. None when the contact is told
    inside a quote ("“Serrac ile görüştük” dedi")."""
    # Speech, not a name quoted as Arabic news often writes it (“علي يرلي قايا”).
    quotes = [
        (m.start(1), m.end(1)) for m in QUOTE_RE.finditer(sentence) if len(m.group(1).split()) > 4
    ]
    if not quotes:
        return []
    told = [m.start() for p, _, _ in language.rules.triggers if (m := p.search(folded))]
    if not told or any(s <= min(told) < e for s, e in quotes):
        return []
    return quotes


def contact_day(
    language: AnchoredLanguage,
    sentence: str,
    published: dt.date,
    status: EventStatus,
    *,
    story_day: dt.date | None,
    under_way: bool,
) -> tuple[dt.date | None, str | None] | None:
    """The day of the contact a sentence tells and where it comes from ("text",
    "published", or none); None when the sentence dates it as history."""
    rules = language.rules
    folded = normalise(sentence)
    dates = language.find_dates(sentence, published)
    if mentions_history(dates, published) and not dated_this_week(dates, published):
        return None
    day, origin = resolve_day(language, sentence, published, future=status == "planned")
    source = None if origin == "vague" or day is None else origin
    day = day if source else None
    if source == "published" and (
        rules.cue("referenced").search(folded)
        or rules.cue("undated_past").search(folded)  # "geçen hafta", no day given
        or (rules.recent_past.search(folded) and not rules.cue("same_day_past").search(folded))
    ):
        return None, None  # "-mişti": before the day of writing, day not given
    if source == "published" and story_day is not None and status == "occurred":
        return story_day, "text"  # the day the story last gave
    if status == "planned" and not dates and under_way and story_day is None:
        # "Libya'da ziyarette bulunan Akar'ın … ile görüşmesi bekleniyor": the trip is on as
        # the story is written, so what it still holds is due that day.
        return published, "published"
    if status == "planned" and day is None and (story_day or published) >= published:
        # A plan after one the story dated ("bu akşam … katılacak. Daha sonra … yemeğine
        # katılacak", "yarın … bulunacak ve … kabul edilecek") is on that day.
        return story_day, "text"
    return day, source


def resolve_day(
    language: AnchoredLanguage, text: str, published: dt.date, *, future: bool
) -> tuple[dt.date | None, str]:
    mentions = language.find_dates(text, published, future=future)
    if language.verb_final:
        mentions = mentions[::-1]
    return resolve_mentions(mentions, published, future)


def delivered_message(
    candidate: Candidate, folded: str, rules: AnchoredRules, actors: list[Actor]
) -> Candidate | None:
    """The message handed over at the talks a sentence tells ("Dibeybe ile görüşen Fidan,
    Erdoğan'ın mesajını iletti"): a contact of its own between bearer, recipient and the
    author the language's `message_author` cue marks; the author, who was not there, is
    no party to the talks."""
    event = candidate.event
    if event.type == "other" or event.status != "occurred" or "message_author" not in rules.cues:
        return None  # a language without the cue reads its messages its own way (Arabic)
    if not any(
        kind == "other" and status == "occurred" and pattern.search(folded)
        for pattern, kind, status in rules.triggers
    ):
        return None
    cue = rules.cue("message_author")
    authors = {a.name for a in actors if cue.match(folded, a.end)}
    if not authors:
        return None  # "Türkiye'nin mesajını iletti" at talks: no one else's message, the talks
    twin = event.model_copy(update={"type": "other"}, deep=True)
    event.participants = [p for p in event.participants if p.name not in authors]
    candidate.keys -= {normalise_name(name) for name in authors}
    return Candidate(
        twin,
        candidate.sentence_index,
        set(candidate.keys) | {normalise_name(name) for name in authors},
    )


def joins_gathering(folded: str, previous: str, rules: AnchoredRules) -> bool:
    """Whether the sentence tells a guest joining the gathering the previous sentence of
    its paragraph told ("… öğle yemeğinde bir araya geldi. Yemeğe X de katıldı"): the
    language's `guest` cue, whose group `noun` the previous sentence names too."""
    match = rules.cue("guest").search(folded)
    return bool(match and match.group("noun") in previous)


def join_guests(last: Candidate, present: list[Actor], guest_sentence: str | None) -> None:
    """Those present join the contact just told. Guests that bring a third state's party to
    it ("Yemeğe Katar … ile Libya … da katıldı") make a gathering of three, told by both
    sentences: its evidence, which the `within_visit` cue reads, keeps the guests'."""
    add_participants(last, present)
    if guest_sentence and any(a.side == "other" for a in present):
        last.event.evidence = f"{last.event.evidence} {guest_sentence.strip()}"
