"""A contact's missing side and day, from the sentences around it.

"He met his counterpart", "the two sides signed …": a side the sentence points to, named in
a sentence beside it; "The two ministers agreed on Thursday to …": the day of the contact
the sentence before told.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.tokens import Token

from pipeline.extract.actors import both_sides
from pipeline.extract.assembly import Candidate
from pipeline.extract.clauses import inside, subtree_span
from pipeline.extract.context import Actor, ArticleContext
from pipeline.extract.institutions import institution_actors, visit_host
from pipeline.extract.lexicon import DISCUSS_VERBS, TALK_NOUNS
from pipeline.extract.places import location
from pipeline.extract.sentences import TWO_SIDES_RE, SentenceFacts, argument_spans, speaker_spans
from pipeline.extract.timing import LEDE_PARAGRAPHS
from pipeline.folding import normalise_name
from pipeline.gazetteer import Gazetteer


def complete_sides(
    actors: list[Actor],
    facts: list[SentenceFacts],
    position: int,
    headline_actors: Sequence[Actor] = (),
    *,
    group_only: bool = False,
) -> list[Actor]:
    """The missing side from the sentences around, for a contact whose sentence points to
    them ("the two sides", "he"); with ``group_only``, only a group it names ("Libyan
    leaders") that the next sentence names in full."""
    current = facts[position]
    have = {a.side for a in actors if a.side in ("turkiye", "libya")}
    if not have and TWO_SIDES_RE.search(current.sent.text):
        # "The two top diplomats held a meeting": both, from the sentence that named them.
        for neighbour in reversed(facts[max(0, position - 2) : position]):
            if both_sides(neighbour.actors) and not neighbour.third_party:
                return [a for a in neighbour.actors if a.side in ("turkiye", "libya")]
        return actors
    if len(have) != 1:
        return actors
    missing = "libya" if have == {"turkiye"} else "turkiye"
    before = [f for f in reversed(facts[max(0, position - 2) : position])]
    after = facts[position + 1 : position + 2]
    same_paragraph = [
        f for f in (*before[:1], *after, *before[1:]) if f.paragraph == current.paragraph
    ]
    neighbours = same_paragraph or before[:1]
    if _pronoun_subject(current):
        # "Isler … ¶ He flew to Tobruk, where he met Y": the person the sentence before
        # named, across the paragraph break, whatever else the paragraph holds.
        neighbours = [*neighbours, *(f for f in before if f not in neighbours)]
    if (
        after
        and after[0].trigger is None  # a contact of its own tells itself (the calls above)
        and _names_group_of(current, missing)
        and _shares_person(after[0], {a.name for a in actors})
    ):
        # "Erdogan congratulated the leaders of Libya's government by phone." ¶ "He wished
        # success to A and B …": the group the next paragraph names, about the same person.
        neighbours = [*after, *neighbours]
    elif group_only:
        return actors
    for neighbour in neighbours:
        found = [a for a in neighbour.actors if a.side == missing]
        if found and not neighbour.third_party:
            return [*actors, *found]
    if current.paragraph < LEDE_PARAGRAPHS:
        # The headline tells the lede's contact: "… to hold talks with Erdogan on Monday".
        return [*actors, *(a for a in headline_actors if a.side == missing)]
    return actors


# An unnamed group of one side that the story goes on to name: "Libyan officials", "the
# leaders of Libya's interim government", "two Turkish ministers".
GROUP_RE = re.compile(
    r"\b(?:(Turkish|Turkey's|Türkiye's|Libyan|Libya's)\s+(?:\w+\s+){0,2}?"
    r"(?:officials|leaders|ministers|counterparts|authorities|officers|figures)"
    r"|(?:officials|leaders|heads|ministers)\s+of\s+(?:the\s+)?(Turkey|Türkiye|Libya)(?:'s)?\b)",
)


def names_any_group(facts: SentenceFacts) -> bool:
    return _names_group_of(facts, "libya") or _names_group_of(facts, "turkiye")


def _names_group_of(facts: SentenceFacts, side: str) -> bool:
    for match in GROUP_RE.finditer(facts.sent.doc.text):
        word = match.group(1) or match.group(2)
        if ("libya" if word.startswith("Liby") else "turkiye") == side:
            return True
    return False


def _shares_person(facts: SentenceFacts, names: set[str]) -> bool:
    return any(a.name in names for a in facts.actors)


def _pronoun_subject(facts: SentenceFacts) -> bool:
    """Whether the contact's clause has "he", "she" or "they" for subject ("He then flew to
    Bayda for talks with X": the verb above the noun)."""
    if facts.trigger is None:
        return False
    trigger = facts.trigger[1]
    verb = next((t for t in (trigger, *trigger.ancestors) if t.pos_ in ("VERB", "AUX")), trigger)
    holders = [verb]
    while holders[-1].dep_ == "xcomp" and len(holders) < 4:
        holders.append(holders[-1].head)  # "She is also due to hold talks with X"
    return any(
        c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("he", "she", "they")
        for holder in holders
        for c in holder.children
    )


def named_in(actor: Actor, facts: SentenceFacts, span: tuple[int, int]) -> bool:
    """Whether ``span`` names the actor, at its first mention or again in the same words
    ("met A and B, before holding a meeting with A, B and C")."""
    if inside(actor.start, [span]):
        return True
    text = facts.sent.doc.text
    words = normalise_name(text[actor.start : actor.end])
    return bool(words) and any(
        inside(m.start, [span]) and normalise_name(m.text) == words for m in facts.mentions
    )


def days_from_follow_ups(
    candidates: list[Candidate], facts: list[SentenceFacts], ctx: ArticleContext
) -> None:
    """A contact the sentence does not date, dated by the next one about it: "X held talks
    with Y in Tripoli. The two ministers agreed on Thursday to …"; "Y made a secret visit to
    Ankara last month, where he met X. He arrived on February 11 …"."""
    by_index = {f.index: f for f in facts}
    for candidate in candidates:
        event = candidate.event
        after = by_index.get(candidate.sentence_index + 1)
        if (
            event.date_source == "text"
            or event.status != "occurred"
            or candidate.earlier
            or after is None
            or after.told_day is None
            or (ctx.published is not None and after.told_day > ctx.published)
            or (after.trigger is not None and after.trigger[0] != "visit")
        ):
            continue
        if after.refers or _shares_person(after, {p.name for p in event.participants}):
            event.date, event.date_source = after.told_day, "text"


def talk_verb(trigger: Token) -> bool:
    # "He talked with A …", "… in his talks with A and B": the calls a sentence announced.
    if trigger.pos_ in ("NOUN", "PROPN"):
        return trigger.lemma_.lower() in TALK_NOUNS
    return trigger.pos_ in ("VERB", "AUX") and trigger.lemma_.lower() in DISCUSS_VERBS


NAMES_A_MEETING_RE = re.compile(r"\b(?:meeting|talks|reception)\b", re.I)


def attended_contact(
    candidates: list[Candidate], current: SentenceFacts, distance: int
) -> Candidate | None:
    """The contact an "… also attended" sentence adds its people to: the one just told,
    or, when it names a meeting and the one just told is something else ("Gurak conveyed
    Erdogan's message to Dbeibah. … X and Y also attended the meeting"), the meeting."""
    if not candidates or current.index - candidates[-1].sentence_index > distance:
        return None
    last = candidates[-1]
    if last.event.type in ("meeting", "visit", "military") or not NAMES_A_MEETING_RE.search(
        current.sent.text
    ):
        return last
    meetings = [c for c in candidates if c.event.type in ("meeting", "visit", "military")]
    return meetings[-1] if meetings else last


def institution_sides(
    current: SentenceFacts, actors: list[Actor], ctx: ArticleContext
) -> list[Actor]:
    """A side no person speaks for: "a Turkish frigate docked …", "met a Turkish military
    delegation", "held talks with a GNU delegation". Beyond armed forces, only an
    institution the contact is told of (its subject, object or partner) is a party: not one
    named in passing. A visit to the other country that names no one there is a visit to
    its government of the day ("Cavusoglu landed in Libya for a working visit")."""
    assert current.trigger is not None
    kind = current.trigger[0]
    found = _institutions_told(current, actors, ctx.gaz)
    travellers = _traveller_spans(current.trigger[1])
    # The visitor is the trip's subject or partner, not someone it is told of ("aircraft
    # arrived … in preparation for the upcoming visit of Erdogan").
    if kind == "visit" and any(inside(a.start, travellers) for a in actors):
        place = location(current.sent, current.mentions, actors, ctx, kind)
        host = visit_host([*actors, *found], ctx.gaz, place, ctx.day, current.sent.text)
        found += [host] if host is not None else []
    return found


def _traveller_spans(trigger: Token) -> list[tuple[int, int]]:
    """Who makes a trip, appositions included: the trigger's parties, and the subject of
    the verb that carries it ("paid a visit", "arrived in Tripoli for a working visit")."""
    spans = argument_spans(trigger)
    verbs = [trigger]
    if trigger.dep_ in ("dobj", "attr"):
        verbs.append(trigger.head)
    elif trigger.dep_ == "pobj" and trigger.head.dep_ == "prep":
        verbs.append(trigger.head.head)
    for verb in verbs:
        spans += [
            subtree_span(c) for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "poss")
        ]
    return spans


def _institutions_told(current: SentenceFacts, actors: list[Actor], gaz: Gazetteer) -> list[Actor]:
    assert current.trigger is not None
    kind = current.trigger[0]
    # The body that tells the news ("…, the Libyan National Army said") is no party.
    speakers = speaker_spans(current.trigger[1])
    return institution_actors(
        [m for m in current.mentions if not inside(m.start, speakers)],
        actors,
        gaz,
        armed_forces_only=kind != "military",
        arguments=argument_spans(current.trigger[1]),
        # Two states signing, on a day the sentence gives, with no one named.
        countries_as_governments=(
            kind == "agreement" and not actors and current.told_day is not None
        ),
        countries_as_forces=kind == "military",
    )
