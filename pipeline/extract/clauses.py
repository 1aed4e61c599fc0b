"""Clauses of another time: whose people, places and days are not the contact's.

"Days after he had met X in Benghazi, Y hosted Z": the first clause tells another contact
(news too, when it is recent); "two days after Haftar threatened to attack" tells none;
"under the 2019 security agreement" names a year that does not date the contact.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Span, Token

from pipeline.extract.context import ArticleContext
from pipeline.extract.lexicon import REPORTING_VERBS, TOPIC_VERBS
from pipeline.extract.status import status_of
from pipeline.extract.timing import dates_history, is_history, recent_cue
from pipeline.records import EventStatus, EventType


@dataclass(frozen=True)
class SideContact:
    """A contact told in a clause of another time: "Days after he had met X, Y hosted Z"."""

    trigger: tuple[EventType, Token, float]
    status: EventStatus
    span: tuple[int, int]
    recent: bool  # told as recent past: its day unknown unless the clause gives it
    pronoun_subject: bool  # "he had met X": the subject is the main contact's
    shares_subject: bool = False  # "… and then flew to Benghazi to meet X": no subject of its own


# A clause of another time tells another contact: "days after he had met X", "who had
# visited Y", "… and Z met W"; one of the same time ("when they met", "as he visited") is the
# contact's own.
OTHER_TIME_WORDS = {"after", "before", "since", "following", "ahead"}


def other_clauses(
    trigger: Token, candidates: list[tuple[EventType, Token, float]]
) -> list[tuple[Token, tuple[int, int]]]:
    """The other contacts of the sentence told in a clause of another time, each with the
    character span of its clause."""
    spans = []
    for _, other, _ in candidates:
        if other.i == trigger.i or other in trigger.ancestors:
            continue
        # A noun a verb carries ("before holding a meeting with X") is told by that verb.
        verb = other if other.pos_ in ("VERB", "AUX") else _carrying_verb(other)
        if verb is not None and verb.i != trigger.i and _of_another_time(verb):
            span = _clause_span(verb, trigger)
            if span is not None:
                spans.append((other, span))
    return spans


def _carrying_verb(noun: Token) -> Token | None:
    head = noun.head
    if noun.dep_ in ("dobj", "nsubjpass") and head.pos_ in ("VERB", "AUX"):
        return head
    return None


def background_clauses(
    trigger: Token, candidates: list[tuple[EventType, Token, float]]
) -> list[tuple[int, int]]:
    """Clauses of another time that tell no contact: "two days after Haftar threatened to
    attack …". Whoever acts in them is no party to the contact."""
    contacts = {t.i for _, t, _ in candidates}
    spans = []
    for token in trigger.sent:
        if (
            token.dep_ == "advcl"
            and token.pos_ in ("VERB", "AUX")
            and token.i not in contacts
            and not any(t.i in contacts for t in token.subtree)
            and _of_another_time(token)
        ):
            span = _clause_span(token, trigger)
            if span is not None:
                spans.append(span)
    for token in trigger.sent:
        # "… in Tripoli following threats by Haftar to force out Turkish forces": a phrase
        # of another time around a noun that tells no contact
        if (
            token.dep_ == "prep"
            and token.lower_ in OTHER_TIME_WORDS
            and token.i > trigger.i
            and not any(t.i in contacts for t in token.subtree)
        ):
            spans.append(subtree_span(token))
    spans += topic_spans(trigger.sent)
    # The parser sometimes makes the contact the complement of such a clause's verb
    # ("X met Y on Sunday, a day after Z warned …" read as "Z warned [X met Y]").
    text = trigger.doc.text
    for match in AFTER_CLAUSE_RE.finditer(text, trigger.idx):
        end = len(text.rstrip())
        if not any(match.start() <= t.idx < end for _, t, _ in candidates):
            spans.append((match.start(), end))
    return spans


def topic_spans(sent: Span) -> list[tuple[int, int]]:
    """What talks were about: "met Erdogan to discuss the war on Tripoli led by Haftar",
    "reviewed Haftar's offensive". Whoever is named there is a topic, not a party; a
    partner the parser hangs inside the object ("discussed cooperation with X") is not."""
    spans = []
    for verb in sent:
        if verb.lemma_.lower() not in TOPIC_VERBS or verb.pos_ not in ("VERB", "AUX"):
            continue
        for topic in (c for c in verb.children if c.dep_ == "dobj"):
            partners = {t.i for p in topic.subtree if p.lower_ == "with" for t in p.subtree}
            spans += [(t.idx, t.idx + len(t.text)) for t in topic.subtree if t.i not in partners]
    return spans


AFTER_CLAUSE_RE = re.compile(
    r",\s+(?:(?:a|an|one|two|three|four|five|six|several|few|\d+)\s+)?"
    r"(?:(?:days?|weeks?|hours?|months?)\s+)?(?:after|before)\s+"
)


def _clause_span(verb: Token, trigger: Token) -> tuple[int, int] | None:
    tokens = list(verb.subtree)
    # From its marker on ("a day after …"): words the parser hangs before it, like the main
    # clause's "in Benghazi", are not the clause's.
    markers = [c for c in verb.children if c.dep_ in ("mark", "npadvmod", "nsubj")]
    first = min((t.i for c in markers for t in c.subtree), default=tokens[0].i)
    tokens = [t for t in tokens if t.i >= first]
    if trigger in tokens:
        return None
    end = tokens[-1].idx + len(tokens[-1].text)
    if tokens[0].i > trigger.i and verb.head.lower_ in OTHER_TIME_WORDS:
        # "X met A, before holding a meeting …, in the presence of B": what follows a
        # trailing "before …" is that clause's, wherever the parser hangs it.
        end = len(trigger.doc.text.rstrip().rstrip(".;"))
    return tokens[0].idx, end


PRONOUNS = {"he", "she", "they", "who"}


def side_contacts(
    sent: Span,
    candidates: list[tuple[EventType, Token, float]],
    others: list[tuple[Token, tuple[int, int]]],
    ctx: ArticleContext,
) -> list[SideContact]:
    """Those clauses' contacts that are news too: recent, not history."""
    found = []
    for verb, span in others:
        if any(f.span == span for f in found):
            continue  # "had signed an energy deal": the verb and its noun tell one contact
        clause = sent.doc.text[span[0] : span[1]]
        status = status_of(verb)
        pluperfect = pluperfect_of(verb)
        recent = recent_cue(clause) or pluperfect is not None
        if status is None or is_history(clause, pluperfect=pluperfect == "had", recent=recent):
            continue
        if ctx.published and dates_history(clause, ctx.published):
            continue
        trigger = next(t for t in candidates if t[1].i == verb.i)
        # "he had met X", or a coordinated verb with no subject of its own ("… and then
        # travelled to Benghazi to meet X"): the subject is the main contact's.
        told_by = verb if verb.pos_ in ("VERB", "AUX") else (_carrying_verb(verb) or verb)
        subjects = [c for c in told_by.children if c.dep_ in ("nsubj", "nsubjpass")]
        pronoun = any(c.lower_ in PRONOUNS for c in subjects)
        # "… and then flew to Benghazi", "…, before holding a meeting with X": no subject of
        # its own, the main clause's.
        shared = not subjects and (
            told_by.dep_ == "conj"
            or (told_by.dep_ == "pcomp" and told_by.head.lower_ in OTHER_TIME_WORDS)
        )
        found.append(SideContact(trigger, status, span, recent, pronoun, shared))
    return found


YEAR_RE = re.compile(r"(?:19|20)\d\d")
MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"}  # fmt: skip
ARGUMENT_DEPS = ("dobj", "nsubj", "nsubjpass", "attr", "pobj")


def attributive_years(sent: Span, trigger: Token) -> list[tuple[int, int]]:
    """Years that name a thing rather than date the contact: "trained cadets under the 2019
    security agreement", "the November 2019 accords". A year on the contact's own noun or
    on its object ("signed the 2019 maritime deal") still dates it."""
    spans = []
    for token in sent:
        about_a_person = token.lower_ in MONTHS and _in_other_relative_clause(
            token, trigger, of_person=True
        )
        if about_a_person or (
            YEAR_RE.fullmatch(token.text) and _in_other_relative_clause(token, trigger)
        ):
            # "the war that began in 2018", "X, who was appointed in March, arrived …"
            spans.append((token.idx, token.idx + len(token)))
            continue
        if not (YEAR_RE.fullmatch(token.text) and token.dep_ in ("nummod", "compound", "amod")):
            continue
        first, head = token, token.head
        if head.lower_ in MONTHS and head.dep_ in ("nmod", "compound"):
            first, head = head, head.head  # "the November 2019 accords"
        if head.pos_ not in ("NOUN", "PROPN") or head.lower_ in MONTHS:
            continue
        if head.i == trigger.i or (head.head.i == trigger.i and head.dep_ in ARGUMENT_DEPS):
            continue
        start = min(first.idx, token.idx)
        spans.append((start, max(first.idx + len(first), token.idx + len(token))))
    return spans


def _in_other_relative_clause(token: Token, trigger: Token, *, of_person: bool = False) -> bool:
    """Whether ``token`` sits in a relative clause the contact is not in: "met X on April
    4, the anniversary of the war that began in 2018"; with ``of_person``, one that tells
    of a person ("X, who was appointed in March, arrived …")."""
    for ancestor in token.ancestors:
        if ancestor.dep_ in ("relcl", "acl"):
            if of_person and not (ancestor.dep_ == "relcl" and ancestor.head.pos_ == "PROPN"):
                return False
            return trigger not in ancestor.subtree and ancestor not in trigger.ancestors
    return False


def subtree_span(token: Token) -> tuple[int, int]:
    """The characters a token and everything it governs cover."""
    tokens = list(token.subtree)
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def inside(offset: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start <= offset < end for start, end in spans)


def masked(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with ``spans`` blanked out, offsets kept."""
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _of_another_time(verb: Token) -> bool:
    if verb.dep_ == "relcl" and _same_time_relative(verb):
        return False
    if verb.dep_ in ("conj", "relcl"):
        return True
    if verb.dep_ in ("advcl", "pcomp", "ccomp"):
        words = {c.lower_ for c in verb.children if c.dep_ in ("mark", "prep")} | {verb.head.lower_}
        return bool(words & OTHER_TIME_WORDS) or any(
            t.lower_ in OTHER_TIME_WORDS for t in list(verb.subtree)[:3]
        )
    return False


def _same_time_relative(verb: Token) -> bool:
    # "met X in Tripoli, where the two sides signed …", "on Monday, when they signed": the
    # place or day of the contact, and what was done there then; "where he had met Y" and
    # "where Turkey signed a deal in 2020" are another time.
    markers = {c.lower_ for c in verb.children if c.dep_ == "advmod"}
    if not markers & {"where", "when"} or any(c.lower_ == "had" for c in verb.children):
        return False
    # "…, where he met Khalifa Haftar": someone of its own makes it a contact of its own.
    return not any(t.ent_type_ in ("DATE", "PERSON") for t in verb.subtree)


def pluperfect_of(trigger: Token) -> str | None:
    """ "had": the contact's own clause is in the pluperfect ("had held talks"; a pluperfect
    in a clause beside it, "… and had visited the embassy", is not); "reported": it is
    reported speech ("said he had met X"), the backshift of "I met X": not background, but
    on a day the text does not give either."""
    for verb in (trigger, *trigger.ancestors):
        if verb.lower_ in ("before", "ahead"):
            return None  # "Before his meeting with X, he had flown to Y": X is the news
        if any(c.dep_ == "aux" and c.lower_ == "had" for c in verb.children):
            reported = verb.dep_ == "ccomp" and verb.head.lemma_.lower() in REPORTING_VERBS
            return "reported" if reported else "had"
    return None
