"""Sentences that tell more about a contact already told, for the anchored languages.

A story often names a contact in one sentence and says what it was, or who it was with,
in another: "… discussed with his counterpart. That came in a phone call on Tuesday
evening" is one call, not a meeting; "the president and the prime minister received him,
each separately" is two meetings.
"""

from __future__ import annotations

import datetime as dt

from pipeline.extract.assembly import Candidate
from pipeline.gazetteer import normalise_name
from pipeline.records import EventType

# How far back a restating sentence may reach: the contact told just before it.
RESTATE_WINDOW = 2


def restates(last: Candidate | None, index: int, keys: set[str]) -> bool:
    """Whether a sentence that points back ("That came in …", "In the talks …") tells of
    the ``last`` contact: one told just before, and no party it did not have."""
    return last is not None and index - last.sentence_index <= RESTATE_WINDOW and keys <= last.keys


def restate(last: Candidate, event_type: EventType | None, day: dt.date | None) -> None:
    """What the restating sentence adds: that the contact was a call, and its own day."""
    event = last.event
    if event_type == "call" and event.type in ("meeting", "visit"):
        event.type = "call"
        event.location, event.country = None, None  # a call has no place
    if day is not None and event.date_source != "text":
        event.date, event.date_source = day, "text"


def each_separately(candidate: Candidate) -> list[Candidate]:
    """ "X and Y received Z, each separately": one contact per party of the listed side.

    The side with several parties is split when the other has one; otherwise the
    sentence does not say who met whom, and the contact stays whole.
    """
    event = candidate.event
    by_side = {s: [p for p in event.participants if p.side == s] for s in ("turkiye", "libya")}
    many = [s for s, people in by_side.items() if len(people) > 1]
    if len(many) != 1 or any(len(people) != 1 for s, people in by_side.items() if s != many[0]):
        return [candidate]
    rest = [p for p in event.participants if p.side != many[0]]
    return [
        Candidate(
            event.model_copy(update={"participants": [person, *rest]}),
            candidate.sentence_index,
            {normalise_name(p.name) for p in (person, *rest)},
        )
        for person in by_side[many[0]]
    ]
