"""The status a contact trigger has: occurred, planned, denied, or none (speculation)."""

from __future__ import annotations

from spacy.tokens import Token

from pipeline.extract.lexicon import (
    DENIAL_HEADS,
    FUTURE_CUE_RE,
    NOUN_TRIGGERS,
    PLAN_HEADS,
    PLAN_MODIFIERS,
    SPECULATIVE_AUX,
    UNREALISED_HEADS,
    VERB_TRIGGERS,
)
from pipeline.records import EventStatus


def speculative(verb: Token) -> bool:
    """A modal or future auxiliary on the verb: "may meet", "will visit"."""
    return any(
        c.dep_ == "aux" and c.lower_ in SPECULATIVE_AUX | {"will", "shall"} for c in verb.children
    )


def negated(token: Token) -> bool:
    """ "did not meet", "no plans": the word is denied."""
    return any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in token.children)


def status_of(trigger: Token) -> EventStatus | None:
    """occurred / planned / denied, or None for speculation that should be skipped."""
    if any(c.dep_ == "aux" and c.tag_ == "TO" for c in trigger.children):
        # An infinitive takes its status from what governs it: "arrived to meet" (as the
        # arrival), "is set to meet" (planned), "refused / asked / is ready to meet" (none).
        head = trigger.head
        if head.i == trigger.i or head.lemma_.lower() in UNREALISED_HEADS:
            return None
        if head.lemma_.lower() == "be" and trigger.dep_ == "xcomp":
            return "planned"  # "is to meet Dbeibah on Monday": arranged, in news English
        if head.lemma_.lower() == "go" and head.tag_ == "VBG":
            return "planned"  # "is going to visit": the future told as a plan
        if head.lemma_.lower() in PLAN_HEADS:
            # "there were no plans for X to meet Y", "is not expected to visit": no contact.
            return None if negated(head) else "planned"
        if head.pos_ in ("VERB", "AUX"):
            return status_of(head)
        return None  # "his request to meet", "a chance to talk"
    chain = [trigger]
    while len(chain) < 4 and chain[-1].dep_ not in ("relcl", "ROOT"):
        # A relative clause has its own tense: "X and Y, who met on Friday, agreed to …"
        chain.append(chain[-1].head)
    if any(t.lemma_.lower() in DENIAL_HEADS for t in chain):
        return "denied"
    if any(c.dep_ == "neg" for c in trigger.children) or any(
        c.lower_ == "no" and c.dep_ == "det" for c in trigger.children
    ):
        # "Fidan did not meet Haftar during his stop" denies a contact; "Haftar did not
        # sign the agreement" is a signing refused, and "could not visit earlier" one
        # prevented: no contact at all.
        return (
            None
            if NOUN_TRIGGERS.get(trigger.lemma_.lower()) == "agreement"
            or (VERB_TRIGGERS.get(trigger.lemma_.lower()) == "agreement")
            or any(
                c.dep_ == "aux" and c.lower_ in ("could", "can", "would") for c in trigger.children
            )
            else "denied"
        )
    auxes = {c.lower_ for t in chain[:2] for c in t.children if c.dep_ in ("aux", "auxpass")}
    if auxes & {"will", "shall", "'ll"} or any(t.lemma_.lower() in PLAN_HEADS for t in chain[1:]):
        return "planned"
    if trigger.tag_ in ("VBZ", "VBP") and not auxes and FUTURE_CUE_RE.search(trigger.sent.text):
        return "planned"  # "travels to Ankara tomorrow": the present of a timetable
    if any(c.lower_ in PLAN_MODIFIERS for c in trigger.children):
        return "planned"
    if auxes & SPECULATIVE_AUX:
        return None
    return "occurred"
