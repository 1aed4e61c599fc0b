"""Arabic: a message delivered ("نقل رسالة من الرئيس …", "سلمه رسالة خطية") is a contact of
its own, typed `other`, between its bearer, its recipient and its sender when named.

The sentence-by-sentence pass (pipeline/extract/anchored.py) makes one event a sentence:
a message told inside a meeting ("التقى … وسلمه رسالة من …") is the meeting, and a
message told in a sentence of its own names the bearer and sender but often not the
recipient, who is the other side of the contact told just before. This pass, over the
events already made, adds both.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from pipeline.extract.actors import participant, unique_actors
from pipeline.extract.context import Actor
from pipeline.extract.plover import plover_category
from pipeline.gazetteer import normalise
from pipeline.records import ExtractedEvent, Participant

ActorsOf = Callable[[str, dt.date | None], list[Actor]]
_SENDER_REACH = 40  # characters from "رسالة من" to the sender's name


def conveyed_messages(
    sentences: list[str],
    events: list[ExtractedEvent],
    cue: re.Pattern[str],
    actors_of: ActorsOf,
    people_of: ActorsOf,
) -> list[ExtractedEvent]:
    """``events`` and, after each, the message its sentence or the next one delivers.
    ``actors_of`` gives a sentence's parties, ``people_of`` everyone it names."""
    told = {e.evidence: e for e in events}
    added: list[ExtractedEvent] = []
    last: ExtractedEvent | None = None
    for sentence in sentences:
        event = told.get(sentence.strip())
        message = cue.search(normalise(sentence))
        if event is not None and event.type != "other":
            last = event
            if message is not None:  # a message inside the contact the sentence tells
                sender = _sender(sentence, message, event.date, people_of)
                if sender:  # someone's message: without a sender it is the talks themselves
                    added.append(_message(event, sentence, [participant(a) for a in sender]))
            continue
        if event is not None or message is None or last is None:
            continue
        # A sentence of its own: the parties it names, the recipient from the contact
        # told before (the side it lacks).
        actors = unique_actors(actors_of(sentence, last.date))
        sides = {a.side for a in actors}
        if len(sides & {"turkiye", "libya"}) != 1:
            continue
        named_before = actors_of(last.evidence, last.date)
        recipients = [a for a in named_before if a.side not in sides and a.side != "other"]
        if recipients:
            message_event = _message(last, sentence, [])
            message_event.participants = _distinct([participant(a) for a in [*actors, *recipients]])
            added.append(message_event)
    return [*events, *added]


def _sender(
    sentence: str, message: re.Match[str], day: dt.date | None, people_of: ActorsOf
) -> list[Actor]:
    people = people_of(sentence, day)
    after = [a for a in people if message.end() <= a.start <= message.end() + _SENDER_REACH]
    return [min(after, key=lambda a: a.start)] if after else []


def _message(contact: ExtractedEvent, sentence: str, extra: list[Participant]) -> ExtractedEvent:
    """The message as an event on the contact's day and place."""
    twin = contact.model_copy(deep=True)
    twin.type = "other"
    twin.evidence = sentence.strip()
    twin.plover = plover_category("other", twin.evidence)
    twin.participants = _distinct([*twin.participants, *extra])
    return twin


def _distinct(participants: list[Participant]) -> list[Participant]:
    seen: set[str] = set()
    kept: list[Participant] = []
    for p in participants:
        if p.name not in seen:
            seen.add(p.name)
            kept.append(p)
    return kept
