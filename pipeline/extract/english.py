"""English: spaCy-parsed sentences → trigger, actors, status, date, place → candidates."""

from __future__ import annotations

import datetime as dt
import re

from spacy.tokens import Span

from pipeline.extract.actors import (
    ArticleContext,
    both_sides,
    find_actors,
    participant,
)
from pipeline.extract.assembly import Candidate, add_participants, confidence, finish
from pipeline.extract.places import location, title_place
from pipeline.extract.text import full_names, is_body_paragraph, split_sentences, strip_dateline
from pipeline.extract.timing import HISTORY_RE, dates_history, event_date
from pipeline.extract.triggers import find_trigger, status_of
from pipeline.gazetteer import Mention, load_gazetteer
from pipeline.nlp import load_nlp
from pipeline.records import ExtractedEvent

CONDITIONAL_RE = re.compile(r"\b(?:if|unless|whether|in\s+case)\b", re.I)
FOLLOW_UP_RE = re.compile(
    r"\balso\s+(?:took\s+part|participated|attended|joined|accompanied)\b"
    r"|\b(?:were|was)\s+also\s+(?:present|in\s+attendance)\b"
    r"|\b(?:took\s+part|participated)\s+in\s+the\s+(?:meeting|talks|visit)\b"
    r"|\bjoined\s+the\s+(?:\w+(?:'s|’s)\s+)?(?:meeting|talks|visit|delegation)\b",
    re.I,
)

FOLLOW_UP_DISTANCE = 2  # sentences
CONTEXT_SENTENCES = 2  # previous sentences that may give a group's side


def extract_english_events(
    text: str, *, published: dt.date | None, title: str | None = None
) -> list[ExtractedEvent]:
    """The contacts an English-language article reports, one per distinct contact."""
    paragraphs = [strip_dateline(p.strip()) for p in text.splitlines() if p.strip()]
    body = [p for p in paragraphs if is_body_paragraph(p)]
    if not body:
        return []
    ctx = _article_context(paragraphs, title, published)
    candidates: list[Candidate] = []
    sentences = [s for paragraph in body for s in split_sentences(paragraph)]
    for index, doc in enumerate(load_nlp().pipe(sentences), start=1):
        # One doc per sentence: the parser's own sentence splitting breaks on
        # "(MIT) Director ..." and similar, and a whole doc is then one clause.
        sent = doc[:]
        _process_sentence(sent, ctx.gaz.find_mentions(doc.text), ctx, index, candidates)
    return finish(candidates)


def _article_context(
    paragraphs: list[str], title: str | None, published: dt.date | None
) -> ArticleContext:
    gaz = load_gazetteer()
    # Full names in the title count from the start; body names as they are read.
    named = {
        gaz.person_aliases[m.key] for m in gaz.find_mentions(title or "") if m.kind == "person"
    }
    return ArticleContext(
        gaz=gaz,
        published=published,
        named_person_ids=named,
        full_names=full_names(paragraphs),
        title_place=title_place(gaz, title or ""),
    )


# ------------------------------------------------------------------ sentence level
def _process_sentence(
    sent: Span,
    mentions: list[Mention],
    ctx: ArticleContext,
    index: int,
    candidates: list[Candidate],
) -> None:
    text = sent.text.strip()
    local = [m for m in mentions if sent.start_char <= m.start and m.end <= sent.end_char]
    if FOLLOW_UP_RE.search(text) and candidates:
        last = candidates[-1]
        if index - last.sentence_index <= FOLLOW_UP_DISTANCE:
            add_participants(last, find_actors(sent, local, ctx))
            last.event.evidence = f"{last.event.evidence} {text}"
            ctx.recent_sentences = [*ctx.recent_sentences[-(CONTEXT_SENTENCES - 1) :], text]
            _remember_full_names(ctx, local)
            return
    candidate = _event_from_sentence(sent, local, ctx, index)
    if candidate is not None:
        candidates.append(candidate)
    _remember_full_names(ctx, local)
    ctx.recent_sentences = [*ctx.recent_sentences[-(CONTEXT_SENTENCES - 1) :], text]


def _remember_full_names(ctx: ArticleContext, mentions: list[Mention]) -> None:
    # News names a person in full first and by surname afterwards, so only full names
    # seen *before* a bare surname help resolve it ("Hafter's son Saddam Hafter" late in
    # a story does not make the lede's "Hafter" the son).
    for mention in mentions:
        if mention.kind == "person":
            ctx.named_person_ids.add(ctx.gaz.person_aliases[mention.key])


def _event_from_sentence(
    sent: Span, mentions: list[Mention], ctx: ArticleContext, index: int
) -> Candidate | None:
    text = sent.text.strip()
    if _is_speculation(text):
        return None
    trigger = find_trigger(sent)
    if trigger is None:
        return None
    event_type, token, base_confidence = trigger
    status = status_of(token)
    if status is None:
        return None
    # A denial speaks of the contact in the pluperfect ("denied that he had met …"): that is
    # the news, not background.
    if status != "denied" and HISTORY_RE.search(text):
        return None
    actors = find_actors(sent, mentions, ctx)
    if not both_sides(actors):
        return None
    if ctx.published and dates_history(text, ctx.published):
        return None
    day, source = event_date(text, ctx.published, planned=status == "planned")
    city, country = location(sent, mentions, actors, ctx, event_type)
    event = ExtractedEvent(
        type=event_type,
        status=status,
        date=day,
        date_source=source,
        location=city,
        country=country,
        participants=[participant(a) for a in actors],
        evidence=text,
        confidence=confidence(base_confidence, actors, city, sent, mentions),
    )
    return Candidate(event, index, {a.key for a in actors})


def _is_speculation(text: str) -> bool:
    """Questions and conditionals are not contacts to alert on."""
    return text.endswith("?") or bool(CONDITIONAL_RE.search(text))
