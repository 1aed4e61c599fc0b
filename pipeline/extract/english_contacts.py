"""Which contacts an English sentence tells, as analysts count them: one per partner when
they were met separately, none when the contact is with a third country, the lede's own
restated past it, a contact dated by the statement that followed it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from pipeline.extract.actors import both_sides
from pipeline.extract.clauses import inside
from pipeline.extract.context import Actor
from pipeline.extract.lexicon import REPORTING_VERBS
from pipeline.extract.sentences import SentenceFacts
from pipeline.extract.timing import LEDE_PARAGRAPHS
from pipeline.extract.triggers import is_anaphoric

SEPARATELY_RE = re.compile(r"\bseparate(?:ly)?\b", re.I)
# "held meetings with A and B", "a round of meetings with …": the plural says so too, for
# those named after it (not a delegation's members before it).
MEETINGS_WITH_RE = re.compile(r"\bmeetings\s+with\b", re.I)


def restates_lede(current: SentenceFacts, group: list[Actor], facts: list[SentenceFacts]) -> bool:
    """Whether a contact past the lede is the one the lede (or a standfirst above it) told
    without naming everyone: "Erdogan tells head of council in phone call …" ¶ … ¶ "In a
    phone call, Erdogan told al-Menfi …" is the news of the day, not context."""
    assert current.trigger is not None
    keys = {a.key for a in group}
    return any(
        f.index < current.index
        and f.paragraph < LEDE_PARAGRAPHS
        and f.trigger is not None
        and f.trigger[0] == current.trigger[0]
        and f.status == "occurred"
        and not f.recent_past
        and not both_sides(f.actors)  # a lede that named both told its own contact
        and keys & {a.key for a in f.actors}
        for f in facts
    )


def followed_by_statement(facts: SentenceFacts) -> bool:
    """A contact told as what a statement came after ("X said on Sunday … after a meeting
    with Y"): the wire's way of saying the talks were that day."""
    assert facts.trigger is not None
    trigger = facts.trigger[1]
    after = trigger.dep_ == "pobj" and trigger.head.lower_ in ("after", "following")
    return after and any(t.lemma_.lower() in REPORTING_VERBS for t in trigger.head.ancestors)


def names_another_country(
    facts: SentenceFacts,
    *,
    within: tuple[int, int] | None = None,
    outside: Sequence[tuple[int, int]] = (),
) -> bool:
    """Whether the sentence (only ``within``, never ``outside``) names someone of neither
    side: a third country's party, or a person the gazetteer does not know and no office
    places on a side."""

    def counted(offset: int) -> bool:
        return (within is None or inside(offset, [within])) and not inside(offset, outside)

    if any(a.side == "other" and counted(a.start) for a in facts.actors):
        return True
    placed = [(a.start, a.end) for a in facts.actors] + [(m.start, m.end) for m in facts.mentions]
    return any(
        ent.label_ == "PERSON"
        and counted(ent.start_char)
        and not any(s < ent.end_char and ent.start_char < e for s, e in placed)
        for ent in facts.sent.ents
    )


def contacts_of(
    facts: SentenceFacts, actors: list[Actor], *, separately: bool = False
) -> list[tuple[SentenceFacts, list[Actor]]]:
    """The distinct contacts one sentence tells, as analysts count them.

    "signed an agreement during their meeting": a meeting and an agreement. "held separate
    meetings with A and B": one meeting with each.
    """
    contacts = [facts]
    if facts.second_trigger is not None and not is_anaphoric(facts.second_trigger[1]):
        contacts.append(replace(facts, trigger=facts.second_trigger, second_trigger=None))
    groups = [actors]
    plural = MEETINGS_WITH_RE.search(facts.sent.text)
    if separately or SEPARATELY_RE.search(facts.sent.text) or plural:
        by_side = {side: [a for a in actors if a.side == side] for side in ("turkiye", "libya")}
        many = [side for side, people in by_side.items() if len(people) > 1]
        if plural and not (separately or SEPARATELY_RE.search(facts.sent.text)):
            after = facts.sent.start_char + plural.end()
            many = [side for side in many if all(a.start >= after for a in by_side[side])]
        if len(many) == 1:
            rest = [a for a in actors if a.side != many[0]]
            groups = [[*rest, one] for one in by_side[many[0]]]
    return [(contact, group) for contact in contacts for group in groups]
