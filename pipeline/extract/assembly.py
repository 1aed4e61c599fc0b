"""Assembly: candidate events joined, merged and finished into one event per contact."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span

from pipeline.extract.actors import Actor, actor_of, participant
from pipeline.extract.institutions import government_of, government_side
from pipeline.extract.plover import plover_category
from pipeline.gazetteer import Mention, load_gazetteer, normalise_name
from pipeline.merge import TYPE_FAMILIES, principals, same_contact_in_article
from pipeline.records import ExtractedEvent


@dataclass
class Candidate:
    event: ExtractedEvent
    sentence_index: int
    keys: set[str] = field(default_factory=set)
    earlier: bool = False  # told as before the story's news ("earlier met", "recently")


def finish(candidates: list[Candidate]) -> list[ExtractedEvent]:
    told = [c.event for c in merge_duplicates(candidates)]
    for event in told:
        meeting = _meeting_of_visit(event, told)
        if meeting is not None and meeting.location is None and meeting.country is None:
            meeting.location, meeting.country = event.location, event.country
    events = [
        e
        for e in told
        if not _stands_for_people_named(e, told)
        and not _policy_between_states(e)
        and not _undated_twin(e, told)
        and _meeting_of_visit(e, told) is None
    ]
    kept = {id(e) for e in events}
    for index, event in enumerate(told):
        if id(event) not in kept:
            continue
        event.plover = plover_category(event.type, event.evidence)
        _government_of_the_day(event)
        if event.location is None and event.type != "call":
            # the contacts told before it, kept or not: a visit to the host government
            # the story went on to name still says where the trip went
            _inherit_place(event, told[:index])
    return events


def _stands_for_people_named(event: ExtractedEvent, events: list[ExtractedEvent]) -> bool:
    """An unnamed party that the story goes on to name: "X visited Ankara to meet Turkish
    military leaders. He met General Y …" is X's meeting with Y, not one more contact
    (annotators list an institution only where no person of its side is named)."""
    institutions = load_gazetteer().institution_names

    def unnamed(name: str) -> bool:
        return name in institutions or name.startswith("Government of ")

    if all(unnamed(p.name) for p in event.participants):
        # "Türkiye and Libya signed …" beside the ministers who signed it that day.
        return any(
            named is not event
            and TYPE_FAMILIES[named.type] == TYPE_FAMILIES[event.type]
            and named.date == event.date
            and not all(unnamed(p.name) for p in named.participants)
            for named in events
        )
    for side in ("turkiye", "libya"):
        own = [p for p in event.participants if p.side == side]
        if not own or not all(unnamed(p.name) for p in own):
            continue
        other = principals(event.participants, "libya" if side == "turkiye" else "turkiye")
        for named in events:
            if named is event:
                continue
            if event.date_source == named.date_source == "text" and event.date != named.date:
                continue  # a contact the text dates on another day is another contact
            people = [p for p in named.participants if p.side == side]
            if other & principals(
                named.participants, "libya" if side == "turkiye" else "turkiye"
            ) and any(not unnamed(p.name) for p in people):
                return True
    return False


def _undated_twin(event: ExtractedEvent, events: list[ExtractedEvent]) -> bool:
    # One sentence telling the same contact twice ("attended the graduation ceremony …,
    # after they received training"): the copy without the day is not another contact.
    people = {normalise_name(p.name) for p in event.participants}
    return event.date is None and any(
        other.date is not None
        and other.type == event.type
        and other.evidence == event.evidence
        and {normalise_name(p.name) for p in other.participants} == people
        for other in events
    )


def _meeting_of_visit(event: ExtractedEvent, events: list[ExtractedEvent]) -> ExtractedEvent | None:
    # "Fidan paid a visit to Tripoli on Tuesday … Fidan met with Dbeibah": the trip is the
    # meeting it was made for, the same people on the same day, and analysts count it once
    # (where the trip went is where they met).
    if event.type != "visit" or event.status != "occurred":
        return None
    people = {normalise_name(p.name) for p in event.participants}
    return next(
        (
            other
            for other in events
            if other.type == "meeting"
            and other.status == "occurred"
            and other.date == event.date
            and {normalise_name(p.name) for p in other.participants} == people
        ),
        None,
    )


def _policy_between_states(event: ExtractedEvent) -> bool:
    # "The Turkish military will train Libyan soldiers": a programme of institutions with
    # no day and no one named is policy, not a contact anyone has planned.
    institutions = load_gazetteer().institution_names
    return (
        event.status == "planned"
        and event.date is None
        and all(p.name in institutions for p in event.participants)
    )


def _government_of_the_day(event: ExtractedEvent) -> None:
    # "Türkiye ile Libya … imzaladı", "Turkey and Libya signed …": the state as a party is
    # the government in office that day, as annotators name it (the GNA in 2019).
    if event.date is None:
        return  # which government, the story does not say
    for party in event.participants:
        if party.side == "libya" and government_side(party.name) == "libya":
            party.name = government_of("libya", event.date) or party.name


def _inherit_place(event: ExtractedEvent, earlier: list[ExtractedEvent]) -> None:
    # "Erdogan hosted Dbeibah in Ankara on Friday. The two leaders signed a memorandum
    # after the talks.": the later contact of the same people, with no place of its own,
    # happened where the earlier one did.
    # Likewise the visitor's next meeting that day ("Fidan met Dbeibah in Tripoli … Fidan
    # later held a separate meeting with al-Menfi"): one shared party on a trip is enough.
    names = {normalise_name(p.name) for p in event.participants}
    for previous in reversed(earlier):
        shared = {normalise_name(p.name) for p in previous.participants} & names
        same_trip = (
            len(shared) == 1
            and event.date is not None
            and TYPE_FAMILIES[previous.type] == TYPE_FAMILIES[event.type] == "in_person"
        )
        if previous.location and previous.date == event.date and (len(shared) >= 2 or same_trip):
            event.location, event.country = previous.location, previous.country
            return


# ------------------------------------------------------------------ scoring and merging
def confidence(
    base: float, actors: list[Actor], city: str | None, sent: Span, mentions: list[Mention]
) -> float:
    score = base
    if any(not a.from_gazetteer for a in actors):
        score -= 0.1  # side inferred from a title or delegation, not a known official
    if any(a.via_role_only for a in actors):
        score -= 0.05
    if city is None:
        score -= 0.05
    if len(sent.text) > 350:
        score -= 0.05  # long sentences are where parses go wrong
    return round(max(0.3, min(0.95, score)), 2)


def merge_duplicates(candidates: list[Candidate]) -> list[Candidate]:
    """One event per contact: a lede restated later is merged into the first report."""
    merged: list[Candidate] = []
    for candidate in candidates:
        target = next(
            (
                m
                for m in merged
                # Contacts one sentence tells apart ("met A and B separately, before a
                # meeting with both") stay apart.
                if m.sentence_index != candidate.sentence_index
                and same_contact_in_article(m.event, candidate.event)
                and not _earlier_than(m, candidate)
            ),
            None,
        )
        if target is None:
            merged.append(candidate)
            continue
        add_participants(target, [actor_of(p) for p in candidate.event.participants])
        event = target.event
        if event.date_source == "published" and candidate.event.date_source == "text":
            event.date, event.date_source = candidate.event.date, "text"
        if (
            event.location is None
            and candidate.event.location is not None
            and event.country in (None, candidate.event.country)
        ):  # a place in another country is another contact's
            event.location, event.country = candidate.event.location, candidate.event.country
        event.confidence = max(event.confidence, candidate.event.confidence)
    return merged


def _earlier_than(a: Candidate, b: Candidate) -> bool:
    # "… met on Sunday. He had earlier met X": a contact told as earlier, its day unknown,
    # is not the one the story dated.
    return (a.earlier or b.earlier) and (a.event.date is None) != (b.event.date is None)


def add_participants(candidate: Candidate, actors: list[Actor]) -> None:
    for actor in actors:
        if actor.key in candidate.keys:
            continue
        candidate.keys.add(actor.key)
        candidate.event.participants.append(participant(actor))
