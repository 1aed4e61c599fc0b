"""English sentences, one at a time: the facts the assembly joins into contacts.

A sentence's trigger (the first that tells news), its status, its actors, the day its own
words give, and the words that point to another sentence ("he", "the two sides").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from pipeline.dates import find_date_mentions
from pipeline.extract.actors import find_actors
from pipeline.extract.clauses import (
    SideContact,
    attributive_years,
    background_clauses,
    inside,
    masked,
    other_clauses,
    pluperfect_of,
    side_contacts,
    subtree_span,
)
from pipeline.extract.context import Actor, ArticleContext
from pipeline.extract.institutions import armed_force_mentions
from pipeline.extract.lexicon import NOUN_TRIGGERS, REPORTING_VERBS
from pipeline.extract.status import status_of
from pipeline.extract.timing import (
    dated_this_week,
    dates_history,
    event_date,
    first_since_spans,
    is_history,
    is_recent_past,
    recent_cue,
)
from pipeline.extract.trigger_arguments import TRAINEE_PREPOSITIONS, is_ongoing
from pipeline.extract.triggers import (
    find_triggers,
    is_anaphoric,
    is_told_contact,
    second_contact,
)
from pipeline.gazetteer import Mention
from pipeline.records import EventStatus, EventType

CONDITIONAL_RE = re.compile(
    r"\b(?:if|unless|whether|in\s+case|on\s+(?:the\s+)?condition|provided\s+that)\b", re.I
)
FOLLOW_UP_RE = re.compile(
    r"\balso\s+(?:took\s+part|participated|attended|joined|accompanied)\b"
    r"|\b(?:were|was)\s+also\s+(?:present|in\s+attendance)\b"
    # "A and B were present at the meeting": the meeting just told, with no "also"
    r"|\b(?:were|was)\s+(?:present|in\s+attendance)\s+(?:at|during|in|for)\s+the\s+"
    r"(?:\w+\s+)?(?:meeting|talks|signing|ceremony|visit|reception)\b"
    r"|\b(?:took\s+part|participated)\s+in\s+the\s+(?:meeting|talks|visit)\b"
    r"|\b(?:also\s+)?attended\s+the\s+(?:meeting|talks|signing)\b"
    r"|\bjoined\s+the\s+(?:\w+(?:'s|’s)\s+)?(?:meeting|talks|visit|delegation)\b"
    r"|\b(?:meeting|talks|visit|ceremony)\s+(?:was|were)\s+(?:also\s+)?attended\s+by\b"
    r"|\bdelegation\s+(?:also\s+)?(?:included|includes|comprised|consisted\s+of)\b"
    r"|\b(?:was|were)\s+(?:also\s+)?accompanied\s+by\b",
    re.I,
)
# Words that point to a party named in another sentence.
REFERRING_RE = re.compile(
    r"\b(?:he|she|they|him|her|them|his|their)\b|\bcounterparts?\b"
    r"|\bit\s+was\s+(?:received|welcomed|hosted|greeted)\b"  # the delegation just named
    r"|\b(?:the|both)\s+(?:two\s+)?(?:top\s+|senior\s+)?(?:sides|leaders|ministers|officials"
    r"|diplomats|delegations|parties|men)\b"
    r"|\bthe\s+(?:visiting\s+)?(?:\w+\s+)?delegation\b|\bthe\s+(?:turkish|libyan)\s+side\b"
    # "The announcement came during talks with X": whoever the sentence before quoted
    r"|\b(?:the|his|her|these)\s+(?:announcement|remarks|statements?|comments)\s+came\b",
    re.I,
)
TWO_SIDES_RE = re.compile(
    r"\b(?:the|both)\s+(?:two\s+)?(?:top\s+|senior\s+)?(?:sides|leaders|ministers|officials"
    r"|diplomats|delegations|parties)\b"
    r"|\bthe\s+pair\b",
    re.I,
)

CONTEXT_SENTENCES = 2  # previous sentences that may give a group's side


@dataclass
class SentenceFacts:
    """What one sentence says: its actors, and its contact trigger if it states one."""

    sent: Span
    index: int
    paragraph: int
    mentions: list[Mention]
    actors: list[Actor]
    trigger: tuple[EventType, Token, float] | None = None
    status: EventStatus | None = None
    second_trigger: tuple[EventType, Token, float] | None = None  # a signing at a meeting
    # Character spans of clauses that tell another contact than the trigger's ("Days after
    # he had met X in Benghazi, Y hosted Z"): their people and places are not the trigger's.
    other_clauses: list[tuple[int, int]] = field(default_factory=list)
    # The contacts those clauses tell, when they are news too; and, for a contact read
    # from such a clause, the clause it is read from.
    side_contacts: list[SideContact] = field(default_factory=list)
    own_span: tuple[int, int] | None = None
    background: list[tuple[int, int]] = field(default_factory=list)  # clauses with no contact
    subject_span: tuple[int, int] | None = None  # the contact's subject, if the parse has one
    told_day: dt.date | None = None  # the day its own words give, if any
    gives_time: bool = False  # it has date words at all (a day, or "last week")
    recent_past: bool = False  # told as recent past ("recently", "had met"): no day of writing
    # Dates that name a thing or a person's past, not the contact ("X, who was appointed in
    # March, arrived …", "the 2019 accords").
    not_its_day: list[tuple[int, int]] = field(default_factory=list)
    ongoing: bool = False  # military aid under way ("continues to train"): no day of its own
    earlier: bool = False  # told as before the story's news ("earlier met", "days before")
    follow_up: bool = False
    refers: bool = False
    third_party: bool = False


# ------------------------------------------------------------------ sentence level
def read_sentence(sent: Span, ctx: ArticleContext, index: int, paragraph: int) -> SentenceFacts:
    """Everything the assembly needs from one sentence, read in article order."""
    text = sent.text.strip()
    mentions = ctx.gaz.find_mentions(sent.doc.text)
    mentions += armed_force_mentions(sent.doc.text, mentions)
    told, origin = (None, None)
    if ctx.published is not None:
        told, origin = event_date(text, ctx.published, planned=False)
    ctx.sentence_day = told
    actors = find_actors(sent, mentions, ctx)
    facts = SentenceFacts(sent=sent, index=index, paragraph=paragraph, mentions=mentions,
                          actors=actors)  # fmt: skip
    facts.told_day = told if origin == "text" else None
    facts.gives_time = origin in ("text", "vague") or (
        ctx.published is None and bool(find_date_mentions(text, dt.date.today()))
    )
    facts.follow_up = bool(FOLLOW_UP_RE.search(text))
    facts.refers = bool(REFERRING_RE.search(text) or TWO_SIDES_RE.search(text))
    facts.third_party = _names_a_third_party(sent, mentions, actors, ctx)
    # The first trigger that tells news: "Before his meeting with X in Ankara, Y had
    # travelled to Paris to meet Z" is the meeting, not the trip the pluperfect tells.
    chosen: tuple[EventType, Token, float] | None = None
    pluperfect: str | None = None
    candidates = [] if _is_speculation(text) else find_triggers(sent)
    for rank, trigger in enumerate(candidates):
        if rank and not is_told_contact(trigger[1]):
            continue  # past the first, only a contact the sentence dates by another
        if not rank and is_anaphoric(trigger[1]) and any(is_told_contact(t[1]) for t in candidates):
            continue  # "This visit follows X's visit to Ankara": the one it tells anew
        pluperfect = pluperfect_of(trigger[1])
        others = other_clauses(trigger[1], candidates)
        recent = recent_cue(masked(sent.doc.text, [span for _, span in others]), at=trigger[1].idx)
        # "The two officials had met in Istanbul on Friday": a day of this week is news.
        recent = recent or bool(
            pluperfect
            and ctx.published
            and dated_this_week(find_date_mentions(text, ctx.published), ctx.published)
        )
        status = status_of(trigger[1])
        # A denial speaks of the contact in the pluperfect ("denied that he had met …"), and
        # a plan is not history whatever its clauses recall ("his first visit since taking
        # office last month").
        news = status in ("denied", "planned")
        history = not news and is_history(text, pluperfect=pluperfect == "had", recent=recent)
        gaps = first_since_spans(sent.doc.text)
        not_its_day = attributive_years(sent, trigger[1]) + gaps
        dated = masked(sent.doc.text, not_its_day)
        old = not news and bool(ctx.published and dates_history(dated, ctx.published))
        if status is not None and not history and not old:
            chosen = trigger
            facts.trigger, facts.status = trigger, status
            facts.other_clauses = [span for _, span in others]
            facts.not_its_day = not_its_day
            facts.background = background_clauses(trigger[1], candidates)
            facts.side_contacts = side_contacts(sent, candidates, others, ctx)
            facts.subject_span = _subject_span(trigger[1])
            second = second_contact(sent, trigger)
            if second is not None and not inside(second[1].idx, facts.other_clauses):
                facts.second_trigger = second  # not "the accord that was signed in 2020"
            break
        if not history:
            break  # a contact wished, refused or asked for: nothing else in it is news
    at = None if chosen is None else chosen[1].idx
    facts.earlier = recent_cue(masked(sent.doc.text, facts.other_clauses), at=at)
    facts.recent_past = is_recent_past(
        text, pluperfect=None if chosen is None else bool(pluperfect), recent=facts.earlier
    )
    facts.ongoing = chosen is not None and chosen[0] == "military" and is_ongoing(chosen[1])
    _remember_full_names(ctx, mentions)
    ctx.remember(actors)
    ctx.recent_sentences = [*ctx.recent_sentences[-(CONTEXT_SENTENCES - 1) :], text]
    return facts


def _subject_span(trigger: Token) -> tuple[int, int] | None:
    verb = trigger.head if trigger.pos_ in ("NOUN", "PROPN") else trigger
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return subtree_span(child)
    return None


def _remember_full_names(ctx: ArticleContext, mentions: list[Mention]) -> None:
    # News names a person in full first and by surname afterwards, so only full names
    # seen *before* a bare surname help resolve it ("Hafter's son Saddam Hafter" late in
    # a story does not make the lede's "Hafter" the son).
    for mention in mentions:
        if mention.kind == "person":
            ctx.named_person_ids.add(ctx.gaz.person_aliases[mention.key])


def _names_a_third_party(
    sent: Span, mentions: list[Mention], actors: list[Actor], ctx: ArticleContext
) -> bool:
    # "Fidan met his Egyptian counterpart": a contact whose other party is named and is
    # not Libyan (or not Turkish) must not borrow a side from the next sentence.
    if any(a.side == "other" for a in actors):
        return True
    # A place or institution the model tags as a person ("Misrata") is not a third party.
    placed = [(a.start, a.end) for a in actors]
    # Nor is a known person the sentence names but not as a party ("son of Khalifa Haftar").
    placed += [
        (m.start, m.end)
        for m in mentions
        if m.kind in ("place", "institution")
        or (m.kind in ("person", "surname") and ctx.gaz.side_of_mention(m) != "other")
    ]
    for ent in sent.ents:
        if ent.label_ == "PERSON" and not any(
            s < ent.end_char and ent.start_char < e for s, e in placed
        ):
            return True
    return any(m.kind == "institution" and ctx.gaz.side_of_mention(m) == "other" for m in mentions)


PARTNER_PREPOSITIONS = {"with", "between", "by"}


def speaker_spans(trigger: Token) -> list[tuple[int, int]]:
    """Who tells of the contact, not who takes part in it: "…, the Libyan National Army
    said", "according to the LNA". Not one reporting its own doings ("the defence ministry
    reported the training of …": the trainer)."""
    spans = []
    for token in trigger.sent:
        if token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in REPORTING_VERBS:
            told = [c for c in token.children if c.dep_ in ("ccomp", "parataxis")]
            if not any(trigger in c.subtree for c in told):
                continue
            speakers = [c for c in token.children if c.dep_ == "nsubj"]
        elif token.lower_ == "according":
            speakers = [g for c in token.children if c.lower_ == "to" for g in c.children]
        else:
            continue
        spans += [subtree_span(speaker) for speaker in speakers]
    return spans


def argument_spans(trigger: Token) -> list[tuple[int, int]]:
    """Character spans of the parties a trigger takes: its subject and object ("X met Y"),
    its partner ("talks with Y", "visit by Y"), and for a noun a light verb carries, the
    verb's subject ("X held talks with Y")."""
    heads = [trigger]
    noun = trigger
    if trigger.pos_ in ("NOUN", "PROPN") and trigger.dep_ == "compound":
        noun = trigger.head  # "its training programme for Libyan forces"
        heads.append(noun)
    if noun.pos_ in ("NOUN", "PROPN") and noun.dep_ in ("dobj", "attr", "nsubjpass"):
        heads.append(noun.head)
    verb = heads[-1]
    shares_subject = verb.dep_ == "xcomp" or (verb.dep_ == "conj" and verb.pos_ == "VERB")
    if shares_subject and not any(c.dep_.startswith("nsubj") for c in verb.children):
        # "Turkey keeps training …": the subject of "keeps"; "A delegation arrived … and
        # held talks with …": conjoined verbs share the first one's subject
        heads.append(verb.head)
    prepositions = PARTNER_PREPOSITIONS
    if NOUN_TRIGGERS.get(trigger.lemma_.lower()) == "military":
        prepositions = PARTNER_PREPOSITIONS | TRAINEE_PREPOSITIONS  # "training of/for/to X"
    spans = []
    for head in heads:
        for child in head.children:
            if child.dep_ in ("nsubj", "nsubjpass", "dobj", "dative", "agent", "poss") or (
                child.dep_ == "prep" and child.lower_ in prepositions
            ):
                spans.extend((t.idx, t.idx + len(t.text)) for t in _without_clauses(child))
    return spans


def _without_clauses(token: Token) -> list[Token]:
    # "Fidan, who backs the GNU, …": a relative clause names things in passing.
    kept = [token]
    for child in token.children:
        if child.dep_ not in ("relcl", "acl", "advcl", "appos", "punct"):
            kept.extend(_without_clauses(child))
    return kept


def _is_speculation(text: str) -> bool:
    """Questions and conditionals are not contacts to alert on."""
    return text.endswith("?") or bool(CONDITIONAL_RE.search(text))
