"""Sentences that tell more about a contact already told, for the anchored languages.

A story often names a contact in one sentence and says what it was, or who it was with,
in another: "… discussed with his counterpart. That came in a phone call on Tuesday
evening" is one call, not a meeting; "the president and the prime minister received him,
each separately" is two meetings.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from pipeline.extract.actors import Actor
from pipeline.extract.assembly import Candidate, add_participants
from pipeline.gazetteer import Gazetteer, Mention, normalise, normalise_name
from pipeline.merge import principals
from pipeline.records import EventType, ExtractedEvent

if TYPE_CHECKING:
    from pipeline.extract.anchored import AnchoredRules

# How far back a restating sentence may reach: the contact told just before it.
RESTATE_WINDOW = 2


def restates(last: Candidate | None, index: int, keys: set[str]) -> bool:
    """Whether a sentence that points back ("That came in …", "In the talks …") tells of
    the ``last`` contact: one told just before, and no party it did not have."""
    return last is not None and index - last.sentence_index <= RESTATE_WINDOW and keys <= last.keys


def restate(
    last: Candidate,
    event_type: EventType | None,
    day: dt.date | None,
    place: tuple[str | None, str | None] = (None, None),
    *,
    undated: bool = False,
) -> None:
    """What the restating sentence adds: that the contact was a call, its own day and
    place ("Trablus'taki … binasında gerçekleşen görüşmede") — or, ``undated``
    ("Geçtiğimiz hafta gerçekleştirilen görüşmede …"), that it was not on the day of
    writing, whose day the contact took for want of one."""
    event = last.event
    if event_type == "call" and event.type in ("meeting", "visit"):
        event.type = "call"
        event.location, event.country = None, None  # a call has no place
    elif event.type != "call" and event.location is None and place[0] is not None:
        event.location, event.country = place
    if day is not None and event.date_source != "text":
        event.date, event.date_source = day, "text"
    elif undated and event.date_source == "published":
        event.date, event.date_source = None, None


def each_separately(
    candidate: Candidate, side: str | None = None, *, named: set[str] | None = None
) -> list[Candidate]:
    """ "X and Y received Z, each separately": one contact per party of the listed side.

    The side with several parties is split when the other has one; otherwise the
    sentence does not say who met whom, and the contact stays whole. Given a ``side``,
    that side's parties are split whatever the other has. Given ``named``, only a side
    whose parties are all among them (named by the sentence itself, not a delegation
    listed before) is split.
    """
    event = candidate.event
    by_side = {s: [p for p in event.participants if p.side == s] for s in ("turkiye", "libya")}
    many = [
        s
        for s, people in by_side.items()
        if len(people) > 1 and (named is None or all(p.name in named for p in people))
    ]
    if side is not None:
        many = [side]
    elif len(many) != 1 or any(len(people) != 1 for s, people in by_side.items() if s != many[0]):
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


def signing_too(candidate: Candidate, folded: str, rules: AnchoredRules) -> bool:
    """Whether a sentence told as a meeting also tells a signing done in it ("Toplantısı'nı
    … imzaladığımız Mutabakat Zaptı ile nihayete erdirdik", "görüşmenin ardından anlaşma
    imzalandı"): a second contact, the agreement, with the same parties. Not an agreement
    cited as the object of a relative clause ("imzaladığı anlaşma"): that is background."""
    event = candidate.event
    if event.type != "meeting" or event.status != "occurred":
        return False
    if rules.cue("referenced").search(folded):
        return False
    return any(
        kind == "agreement" and status == "occurred" and pattern.search(folded)
        for pattern, kind, status in rules.triggers
    )


def split_joint(candidates: list[Candidate], rules: AnchoredRules) -> list[Candidate]:
    """A contact told jointly, then each host's part in a sentence of its own, one of them
    told as a further report: "Fidan and Güler received Saddam Haftar" then "Fidan met
    Saddam …", "The ministry also posted that Güler received him …" are two contacts, as
    the two posts that told them count them. The joint telling is split into one per host,
    which the later sentences then restate. Without a further report the single sentences
    are restatements of the joint contact ("X ve Y, Z'yi kabul etti. X, görüşmede …")."""
    cue = rules.cue("separate_report")
    if not any(cue.search(normalise(c.event.evidence)) for c in candidates):
        return candidates
    result: list[Candidate] = []
    for i, candidate in enumerate(candidates):
        event = candidate.event
        for side in ("turkiye", "libya"):
            mine = principals(event.participants, side)
            if len(mine) < 2:
                continue
            # Later contacts of the same kind, each with one of these on this side.
            singles = {
                next(iter(own))
                for later in candidates[i + 1 :]
                if later.sentence_index != candidate.sentence_index
                and later.event.type == event.type
                and later.event.date == event.date
                and len(own := principals(later.event.participants, side)) == 1
                and own <= mine
            }
            if len(singles) >= 2:
                result.extend(each_separately(candidate, side))
                break
        else:
            result.append(candidate)
    return result


def within_visit(candidate: Candidate, rules: AnchoredRules) -> bool:
    """A contact with a third state's party told as held during the visit ("Akar, Libya
    ziyareti sırasında Katar … ve Libya … ile bir araya geldi"): a trilateral within the
    trip, which a bilateral reception of the same people told elsewhere is not (the
    trilateral told again, with its third party, still is)."""
    event = candidate.event
    return bool(principals(event.participants, "other")) and bool(
        rules.cue("within_visit").search(normalise(event.evidence))
    )


class TripPlaces:
    """Where the story last put each official: "Fidan Trablus'a gitti. … Dibeybe ile
    görüştü" met in Tripoli. A contact that marks no place of its own took place where its
    parties were last said to be, a city before a bare country."""

    def __init__(self, gaz: Gazetteer) -> None:
        self.gaz = gaz
        self.places: dict[str, tuple[int, str | None, str]] = {}  # name: (order, city, country)
        self.told = 0

    def note(self, mentions: list[Mention], place: tuple[str | None, str | None]) -> None:
        """A sentence that puts the people it names in one place ("Libya'nın başkenti
        Trablus'a gitti"). One naming two ("Ankara'dan Trablus'a", "Türkiye'ye … Libya'ya")
        says where nobody stays."""
        city, country = place
        places = [p for p in map(self.gaz.place_for_mention, mentions) if p is not None]
        cities = {p.name for p in places if not p.is_country}
        if country is None or len(cities) > 1 or len({p.country for p in places}) > 1:
            return
        self.told += 1
        for mention in mentions:
            if mention.kind not in ("person", "surname"):
                continue  # not an office: who held it is the contact's business
            person = self.gaz.person_for_mention(mention)
            if person is not None:
                self.places[person.name] = (self.told, city, country)

    def place_of(self, event: ExtractedEvent) -> tuple[str | None, str | None] | None:
        known = [self.places[p.name] for p in event.participants if p.name in self.places]
        if not known:
            return None
        _, city, country = max(known, key=lambda k: (k[1] is not None, k[0]))
        return city, country


class Companions:
    """Who travels with whom: "Bakan X, beraberinde Orgeneral Y ile Trablus'a gitti", "X'in
    yanında Y ve komutanlar yer aldı". The companion takes part in the contacts the story
    then tells of the one he accompanies, though those sentences name only the principal.

    The language's `companion` cue matches from its marker to the word closing the list of
    companions, which its group `with` spans; the principal is the party named last before
    it, and companions are only of his side.
    """

    def __init__(self) -> None:
        self.of: dict[str, list[Actor]] = {}  # principal's key: companions

    def note(self, folded: str, actors: list[Actor], cue: re.Pattern[str]) -> None:
        for match in cue.finditer(folded):
            before = [a for a in actors if a.end <= match.start()]
            if not before:
                continue
            principal = max(before, key=lambda a: a.end)
            start, end = match.span("with")
            company = [
                a for a in actors if start <= a.start and a.end <= end and a.side == principal.side
            ]
            if company:
                self.of.setdefault(principal.key, []).extend(company)

    def join(self, candidate: Candidate) -> None:
        """Add the companions of the candidate's parties."""
        for key in list(candidate.keys):
            add_participants(candidate, self.of.get(key, []))
