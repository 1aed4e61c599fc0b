"""What a trigger's words around it say: who is its subject, object or partner ("met
with X", "X and Y discussed", "received X"), by what means ("by phone", "on Zoom"), and
whether the trip or signing it names is one ("Turkish Airlines will fly to Libya", "the
agreements signed between the two countries" are not)."""

from __future__ import annotations

from spacy.tokens import Token

from pipeline.extract.lexicon import (
    ARMED_FORCE_GROUP_NOUNS,
    ARMED_FORCE_NOUNS,
    CALL_PURPOSES,
    CARRIER_WORDS,
    NOUN_TRIGGERS,
    ONGOING_WORDS,
    PARTY_NOUNS,
    PHONE_WORDS,
)


def carrier_travels(verb: Token) -> bool:
    # The trip's subject, its own or (for "restart flying") the governing verb's.
    for holder in (verb, verb.head):
        subjects = [c for c in holder.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            return any(t.lower_ in CARRIER_WORDS for s in subjects for t in s.subtree)
    return False


def names_a_document(verb: Token) -> bool:
    # A signing told as a participle or relative clause of its document with no day of its
    # own ("the agreements signed between the two countries", "the memoranda that were
    # signed under the GNA") names the document, not a signing.
    head = verb.head  # the document; not a person who signed ("Fidan, who signed …")
    return (
        verb.dep_ in ("acl", "relcl")
        and head.ent_type_ != "PERSON"
        and head.lemma_.lower() not in PARTY_NOUNS
        and not any(t.ent_type_ in ("DATE", "TIME") for t in verb.subtree)
    )


def has_partner(noun: Token) -> bool:
    # A contact noun that names its other party: "meeting with", "talks between".
    return any(
        c.dep_ == "prep"
        and c.lower_ in ("with", "between")
        and any(g.dep_ == "pobj" for g in c.children)
        for c in noun.children
    )


def travels_for_talks(verb: Token) -> bool:
    # "flew to Malta for talks with X"
    return any(
        NOUN_TRIGGERS.get(noun.lemma_.lower()) == "meeting" and has_partner(noun)
        for noun in objects_of(verb, "for")
    )


def accompanies_on_visit(verb: Token) -> bool:
    # "accompanied Ambassador X on his visit"
    return any(c.dep_ == "dobj" and is_party(c) for c in verb.children) and any(
        NOUN_TRIGGERS.get(noun.lemma_.lower()) == "visit" for noun in objects_of(verb, "on")
    )


def objects_of(verb: Token, preposition: str) -> list[Token]:
    """The nouns a verb takes through ``preposition`` ("for talks", "on his visit")."""
    return [
        g for c in verb.children if c.lower_ == preposition for g in c.children if g.dep_ == "pobj"
    ]


def by_phone(verb: Token) -> bool:
    return any(
        c.dep_ == "prep" and any(t.lemma_.lower() in PHONE_WORDS for t in c.subtree)
        for c in verb.children
    )


def with_partner(verb: Token) -> bool:
    """ "discussed with X", and "discussed cooperation with X" or "exchanged views on the
    region with X", where the parser hangs the partner inside the object."""
    if any(c.lower_ == "with" for c in verb.children):
        return True
    return any(
        g.lower_ == "with" and any(p.dep_ == "pobj" and is_party(p) for p in g.children)
        for c in verb.children
        if c.dep_ == "dobj"
        for g in c.subtree
    )


def co_prefixed(token: Token) -> bool:
    # The tokenizer splits "co-chaired" into "co", "-", "chaired".
    doc = token.doc
    return token.i >= 2 and doc[token.i - 1].text == "-" and doc[token.i - 2].lower_ == "co"


def has_joint_subject(verb: Token) -> bool:
    return any(
        c.dep_ == "nsubj" and any(g.dep_ == "conj" for g in c.children) for c in verb.children
    )


def calls_someone(token: Token) -> bool:
    # "called Dbeibah", not "called for talks", "called on X to …" or "called it a success".
    children = list(token.children)
    if any(c.lower_ == "for" or (c.lower_ == "on" and c.i == token.i + 1) for c in children):
        return False
    objects = [c for c in children if c.dep_ == "dobj"]
    if not objects:
        # The parser takes "called Khalifa Haftar to discuss …" for "called him a name".
        objects = [c for c in children if c.dep_ == "oprd" and c.ent_type_ == "PERSON"]
    elif any(c.dep_ == "oprd" for c in children):
        return False  # "called the deal a mistake"
    # "called Haftar to discuss the crisis", not "called the militias to lay down arms".
    if any(
        c.dep_ in ("xcomp", "ccomp", "advcl") and c.lemma_.lower() not in CALL_PURPOSES
        for c in children
    ):
        return False
    return any(is_party(c) and c.ent_type_ not in ("NORP", "GPE") for c in objects)


def is_party(token: Token) -> bool:
    return (
        token.ent_type_ in ("PERSON", "NORP", "ORG")
        or token.pos_ == "PROPN"
        or token.lemma_.lower() in PARTY_NOUNS
    )


def has_person_object(token: Token) -> bool:
    if any(c.dep_ in ("dobj", "dative") and is_party(c) for c in token.children):
        return True
    # "X was welcomed by Y": the guest is the passive subject, the host the agent.
    guest = ("he", "she", "they", "it")  # "It (the delegation) was received by X"
    if any(
        c.dep_ == "nsubjpass" and (is_party(c) or c.lower_ in guest) for c in token.children
    ) and any(c.dep_ == "agent" for c in token.children):
        return True
    # "received in Istanbul on Friday the Prime Minister of Italy": the parser often loses
    # an object placed after adverbials; a person after the verb, outside "from …", is it.
    # A person who only owns the object ("welcomed Serraj's arrival") is not it.
    after = [c for c in token.rights if c.dep_ not in ("prep", "agent") or c.lower_ != "from"]
    return any(
        (t.ent_type_ == "PERSON" or t.lemma_.lower() in PARTY_NOUNS)
        and "poss" not in (t.dep_, t.head.dep_)
        for c in after
        if c.dep_ not in ("ccomp", "advcl", "conj", "xcomp")
        for t in c.subtree
    )


# "the training of / for / to a force": the prepositions that name whom training trains.
TRAINEE_PREPOSITIONS = frozenset({"of", "for", "to"})


def trains_a_force(noun: Token) -> bool:
    """ "the training of Libyan Navy divers", "its training programme for Libyan forces",
    "training to the Libyan army": military training that names whom it trains, as a
    meeting names its partner. Not "job training for young people": the trainees must be
    an armed force or a named body."""
    holders = [noun, noun.head] if noun.dep_ == "compound" else [noun]
    if holders[-1].dep_ == "dobj":
        holders.append(holders[-1].head)  # "running its programme for Libyan forces"
    return any(
        c.dep_ == "prep"
        and c.lower_ in (TRAINEE_PREPOSITIONS if holder.pos_ == "NOUN" else {"for", "to"})
        and any(
            t.lower_ in ARMED_FORCE_NOUNS | ARMED_FORCE_GROUP_NOUNS
            or t.ent_type_ in ("NORP", "ORG")
            for g in c.children
            if g.dep_ == "pobj"
            for t in g.subtree
        )
        for holder in holders
        for c in holder.children
    )


def is_ongoing(trigger: Token) -> bool:
    """A programme under way rather than a contact on a day: "is currently training",
    "continues to train", "the continued training of", "Turkey keeps training". Such a
    contact has no day of its own, even in a story dated today ("are holding drills" alone
    is today's news)."""
    noun = trigger.head if trigger.dep_ == "compound" else trigger  # "training programme"
    verb = noun.head if noun.pos_ in ("NOUN", "PROPN") else noun
    if any(c.lower_ in ONGOING_WORDS for c in (*trigger.children, *noun.children, *verb.children)):
        return True
    heads = [verb, verb.head] if verb.dep_ in ("xcomp", "dobj", "compound") else [verb]
    return any(h.lemma_.lower() in ("continue", "keep") for h in heads)
