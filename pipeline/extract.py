"""Rule-based extraction of Libya–Türkiye official contacts from one article.

Precision comes first: an event is emitted only for a sentence of body prose that has
an event trigger (a verb like "met", or a noun carried by a light verb like "paid a
visit"), at least one named person, and participants from both sides. Sentences that
report history, speculate, ask or set conditions are dropped. Headline-like lines
(no final punctuation: titles, captions, "Explore" lists) never produce events; they
only lend context (full names, the place in the title).

Pipeline per article: gazetteer matches on the whole text (cheap) → spaCy on the body
paragraphs → per sentence: trigger → actors → status/history → date → place → event;
"X and Y also took part" sentences add participants to the previous event; restatements
of the same contact are merged.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from spacy.tokens import Doc, Span, Token

from pipeline.dates import (
    DateMention,
    find_date_mentions,
    find_turkish_date_mentions,
    resolve_event_date,
    resolve_turkish_event_date,
)
from pipeline.gazetteer import (
    Gazetteer,
    Mention,
    Person,
    load_gazetteer,
    normalise,
    normalise_name,
)
from pipeline.nlp import load_nlp
from pipeline.records import (
    Camp,
    EventStatus,
    EventType,
    ExtractedEvent,
    PageAnalysis,
    Participant,
    Side,
)
from pipeline.relevance import is_relevant

EXTRACTOR_VERSION = "rules-1.2"

# ------------------------------------------------------------------ trigger lexicon
# Verbs that by themselves state a contact.
VERB_TRIGGERS: dict[str, EventType] = {
    "meet": "meeting",
    "host": "meeting",
    "receive": "meeting",
    "confer": "meeting",
    "visit": "visit",
    "travel": "visit",
    "arrive": "visit",
    "tour": "visit",
    "sign": "agreement",
    "ink": "agreement",
    "deploy": "military",
    "dock": "military",
    "deliver": "military",
    "train": "military",
    "phone": "call",
    # Joint openings of plants, schools, consulates: a contact of another kind.
    "inaugurate": "other",
}
# Verbs that are a contact only with more words around them.
PHONE_VERBS = {"speak", "talk", "call", "discuss", "hold", "have", "receive", "make"}
DISCUSS_VERBS = {"discuss", "talk"}
# Nouns that state a contact when a light verb carries them ("held talks").
NOUN_TRIGGERS: dict[str, EventType] = {
    "meeting": "meeting",
    "talk": "meeting",
    "talks": "meeting",
    "visit": "visit",
    "trip": "visit",
    "call": "call",
    "conversation": "call",
    "agreement": "agreement",
    "memorandum": "agreement",
    "deal": "agreement",
    "protocol": "agreement",
    "drill": "military",
    "exercise": "military",
    "training": "military",
}
LIGHT_VERBS = {
    "hold", "pay", "have", "conduct", "sign", "attend", "make", "begin", "start", "carry",
    "join", "participate", "take", "ink", "conclude", "host", "receive", "wrap",
}  # fmt: skip
PHONE_WORDS = {"phone", "telephone", "call", "video", "videoconference"}
# Noun triggers that need a phone word ("phone call") to count.
PHONE_NOUNS = {"call", "conversation"}
# Noun triggers that need a military modifier ("joint drills").
MILITARY_MODIFIERS = {"joint", "military", "naval", "air", "army", "defence", "defense"}

PLAN_HEADS = {"expect", "set", "schedule", "plan", "intend", "due", "slate", "poise", "prepare"}
PLAN_MODIFIERS = {"upcoming", "planned", "forthcoming", "scheduled", "expected"}
DENIAL_HEADS = {"deny", "refute", "dismiss"}
SPECULATIVE_AUX = {"may", "might", "could", "would", "should", "must"}

# Reported history and background: the sentence is not news of a contact.
HISTORY_RE = re.compile(
    r"\b(?:back\s+in|since|previously|formerly|in\s+the\s+past|years?\s+ago|last\s+year"
    r"|had\s+(?:met|visited|held|signed|hosted|received|travelled|traveled|toured|arrived)"
    r"|(?:recent|previous|earlier|prior|last|first)\s+(?:visit|trip|meeting|talks|call)"
    r"|at\s+the\s+time|in\s+a\s+move\s+reminiscent)\b",
    re.I,
)
CONDITIONAL_RE = re.compile(r"\b(?:if|unless|whether|in\s+case)\b", re.I)
FOLLOW_UP_RE = re.compile(
    r"\balso\s+(?:took\s+part|participated|attended|joined|accompanied)\b"
    r"|\b(?:were|was)\s+also\s+(?:present|in\s+attendance)\b"
    r"|\b(?:took\s+part|participated)\s+in\s+the\s+(?:meeting|talks|visit)\b"
    r"|\bjoined\s+the\s+(?:\w+(?:'s|’s)\s+)?(?:meeting|talks|visit|delegation)\b",
    re.I,
)
TERMINAL_PUNCT = (".", "!", "?", '"', "”", "’", "'", ")")
PLACE_PREPOSITIONS = {"in", "at", "to", "visited", "visit", "visiting", "visits", "toured", "into"}
SIDE_CUT_RE = re.compile(r"\s(?:to|in|at|for|on|with)\s.*$", re.I)
DETERMINERS = {"the", "a", "an"}
# Titles written before a name ("Major General X"): part of the role, not of the name.
TITLE_WORDS = {
    "major", "general", "brigadier", "lieutenant", "colonel", "admiral", "rear", "vice",
    "field", "marshal", "ambassador", "minister", "deputy", "director", "president", "prime",
    "chief", "commander", "dr", "mr", "mrs", "ms", "sheikh", "gen", "maj", "lt", "col",
    "adm", "brig", "captain", "capt", "consul", "foreign", "defence", "defense",
}  # fmt: skip
MIN_BODY_WORDS = 6
HISTORY_DAY_LIMIT = 60  # a dated contact older than this is background, not news
FOLLOW_UP_DISTANCE = 2  # sentences
CONTEXT_SENTENCES = 2  # previous sentences that may give a group's side


# ------------------------------------------------------------------ internal records
@dataclass
class Actor:
    """A participant found in a sentence, with where it is (for place filtering)."""

    name: str
    side: Side
    role: str | None
    start: int
    end: int
    role_span: tuple[int, int] | None = None
    from_gazetteer: bool = True
    via_role_only: bool = False
    camp: Camp | None = None

    @property
    def key(self) -> str:
        return normalise_name(self.name)


@dataclass
class ArticleContext:
    gaz: Gazetteer
    published: dt.date | None
    named_person_ids: set[str]  # people named in full so far (title, earlier sentences)
    full_names: dict[str, str]  # normalised surname -> full name seen in the article
    title_place: tuple[str | None, str | None]  # (city, country)
    recent_sentences: list[str] = field(default_factory=list)  # the last few, for context


@dataclass
class Candidate:
    event: ExtractedEvent
    sentence_index: int
    keys: set[str] = field(default_factory=set)


# ------------------------------------------------------------------ public API
def analyse_page(
    text: str,
    *,
    url: str | None = None,
    title: str | None = None,
    published: dt.date | None = None,
    language: str | None = None,
) -> PageAnalysis:
    """Relevance first (cheap), then extraction only for relevant pages."""
    relevant = is_relevant(text, title)
    events = (
        extract_events(text, published=published, title=title, language=language)
        if relevant
        else []
    )
    return PageAnalysis(
        url=url,
        title=title,
        published=published,
        language=language,
        relevant=relevant,
        text=text,
        events=events,
    )


def extract_events(
    text: str,
    *,
    published: dt.date | None,
    title: str | None = None,
    language: str | None = "en",
) -> list[ExtractedEvent]:
    """The Libya–Türkiye contacts the article reports, one per distinct contact."""
    if language and language.lower().startswith("tr"):
        return extract_turkish_events(text, published=published, title=title)
    if language and not language.lower().startswith("en"):
        return []  # the rules and the model are English (and Turkish) only
    paragraphs = [strip_dateline(p.strip()) for p in text.splitlines() if p.strip()]
    body = [p for p in paragraphs if _is_body_paragraph(p)]
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
    return _finish(candidates)


def _finish(candidates: list[Candidate]) -> list[ExtractedEvent]:
    events = [c.event for c in _merge_duplicates(candidates)]
    for index, event in enumerate(events):
        event.plover = plover_category(event.type, event.evidence)
        if event.location is None and event.type != "call":
            _inherit_place(event, events[:index])
    return events


def _inherit_place(event: ExtractedEvent, earlier: list[ExtractedEvent]) -> None:
    # "Erdogan hosted Dbeibah in Ankara on Friday. The two leaders signed a memorandum
    # after the talks.": the later contact of the same people, with no place of its own,
    # happened where the earlier one did.
    names = {normalise_name(p.name) for p in event.participants}
    for previous in reversed(earlier):
        shared = {normalise_name(p.name) for p in previous.participants} & names
        if previous.location and previous.date == event.date and len(shared) >= 2:
            event.location, event.country = previous.location, previous.country
            return


# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = (
    "Gen", "Lt", "Maj", "Col", "Capt", "Adm", "Brig", "Sgt", "Mr", "Mrs", "Ms", "Dr", "Prof",
    "St", "No", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov",
    "Dec", "U.S", "U.N", "U.K", "E.U", "Rep", "Sen", "Gov", "Amb", "approx", "vs", "etc",
)  # fmt: skip
# Turkish capitals included: the same splitter serves Turkish text.
_SENTENCE_END = re.compile(r"(?<=[.!?\"”’)])\s+(?=[\"“‘(]?[A-Z0-9ÇĞİÖŞÜ])")


def split_sentences(paragraph: str) -> list[str]:
    """Split a paragraph on sentence-final punctuation, not after abbreviations."""
    pieces: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(paragraph):
        chunk = paragraph[start : match.start()]
        last_word = chunk.rsplit(maxsplit=1)[-1] if chunk.split() else ""
        if not re.search(r"[.!?][\"”’)]?$", last_word):
            continue  # a closing quote or bracket inside a sentence
        if last_word.rstrip(".") in _ABBREVIATIONS or re.fullmatch(r"[A-Z]\.", last_word):
            continue
        pieces.append(chunk.strip())
        start = match.end()
    pieces.append(paragraph[start:].strip())
    return [p for p in pieces if p]


# ------------------------------------------------------------------ article level
# "ANKARA, Sept 2 (Reuters) - ": the wire dateline gives the filing date, not the event's.
DATELINE_RE = re.compile(
    r"^[A-Z][A-Z .'-]{2,40}(?:,\s*[A-Z][a-z]{2,9}\.?\s+\d{1,2})?\s*(?:\([^)]{1,40}\))?\s*[-–—]+\s+"
)


def strip_dateline(paragraph: str) -> str:
    """Drop a leading wire dateline so its date is not read as the event date."""
    return DATELINE_RE.sub("", paragraph, count=1)


def _is_body_paragraph(paragraph: str) -> bool:
    # Titles, captions and related-headline lists have no final punctuation.
    return paragraph.endswith(TERMINAL_PUNCT) and len(paragraph.split()) >= MIN_BODY_WORDS


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
        full_names=_full_names(paragraphs),
        title_place=_title_place(gaz, title or ""),
    )


_NAME_RE = re.compile(r"\b([A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){1,3})\b")


def _full_names(paragraphs: Iterable[str]) -> dict[str, str]:
    # Cheap: capitalised word runs, keyed by their last word, to expand "Altindag" to
    # "Ilkay Altindag". Only used for people spaCy tags as PERSON.
    names: dict[str, str] = {}
    for paragraph in paragraphs:
        for match in _NAME_RE.finditer(paragraph):
            words = match.group(1).split()
            names.setdefault(normalise_name(words[-1]), " ".join(words[-2:]))
    return names


def _title_place(gaz: Gazetteer, title: str) -> tuple[str | None, str | None]:
    for mention in gaz.find_mentions(title):
        place = gaz.place_for_mention(mention)
        if place is None:
            continue
        before = title[: mention.start].split()
        if before and before[-1].lower() in PLACE_PREPOSITIONS | {"travels", "arrives"}:
            return (None if place.is_country else place.name), place.country
    return None, None


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
            _add_participants(last, _find_actors(sent, local, ctx))
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
    trigger = _find_trigger(sent)
    if trigger is None:
        return None
    event_type, token, base_confidence = trigger
    status = _status(token)
    if status is None:
        return None
    # A denial speaks of the contact in the pluperfect ("denied that he had met …"): that is
    # the news, not background.
    if status != "denied" and HISTORY_RE.search(text):
        return None
    actors = _find_actors(sent, mentions, ctx)
    if not _both_sides(actors):
        return None
    if ctx.published and _dates_history(text, ctx.published):
        return None
    day, source = _event_date(text, ctx.published, planned=status == "planned")
    city, country = _location(sent, mentions, actors, ctx, event_type)
    event = ExtractedEvent(
        type=event_type,
        status=status,
        date=day,
        date_source=source,
        location=city,
        country=country,
        participants=[_participant(a) for a in actors],
        evidence=text,
        confidence=_confidence(base_confidence, actors, city, sent, mentions),
    )
    return Candidate(event, index, {a.key for a in actors})


def _is_speculation(text: str) -> bool:
    """Questions and conditionals are not contacts to alert on."""
    return text.endswith("?") or bool(CONDITIONAL_RE.search(text))


def _dates_history(text: str, published: dt.date) -> bool:
    return _mentions_history(find_date_mentions(text, published), published)


def _mentions_history(mentions: list[DateMention], published: dt.date) -> bool:
    """An explicit year or month before the publication's month, or a day long past."""
    for mention in mentions:
        if mention.precision == "year" and mention.year and mention.year < published.year:
            return True
        if mention.precision == "month" and mention.month:
            year = mention.year or published.year
            if (year, mention.month) < (published.year, published.month):
                return True
        if (
            mention.precision == "day"
            and mention.date
            and (published - mention.date).days > HISTORY_DAY_LIMIT
        ):
            return True
    return False


def _event_date(
    text: str, published: dt.date | None, *, planned: bool
) -> tuple[dt.date | None, str | None]:
    if published is None:
        # Without an anchor only a full explicit date can be trusted.
        anchor = dt.date.today()
        full = [m for m in find_date_mentions(text, anchor) if m.year and m.date]
        return (full[0].date, "text") if full else (None, None)
    day, origin = resolve_event_date(text, published, future=planned)
    if origin == "vague" or day is None:
        return None, None
    return day, origin


# ------------------------------------------------------------------ triggers
def _find_trigger(sent: Span) -> tuple[EventType, Token, float] | None:
    """The contact trigger nearest the sentence root, with a base confidence."""
    found: list[tuple[int, int, EventType, Token, float]] = []
    lemmas = {t.lemma_.lower() for t in sent}
    has_phone = bool(lemmas & {"phone", "telephone"}) or "video call" in sent.text.lower()
    for token in sent:
        hit = _trigger_for_token(token, has_phone)
        if hit is not None:
            found.append((_depth(token), token.i, hit[0], token, hit[1]))
    if not found:
        return None
    found.sort(key=lambda item: (item[0], item[1]))
    _, _, event_type, token, confidence = found[0]
    if event_type == "visit":
        # "travelled to Tripoli and held talks with X": the contact is the meeting.
        meetings = [item for item in found if item[2] == "meeting"]
        if meetings:
            _, _, event_type, token, confidence = meetings[0]
    return event_type, token, confidence


def _trigger_for_token(token: Token, has_phone: bool) -> tuple[EventType, float] | None:
    lemma = token.lemma_.lower()
    if token.pos_ in ("VERB", "AUX") or (token.tag_.startswith("VB")):
        if has_phone and lemma in PHONE_VERBS:
            return "call", 0.9
        if lemma in ("receive", "host") and not _has_person_object(token):
            return None
        if lemma == "sit" and any(c.lower_ == "down" for c in token.children):
            return "meeting", 0.85  # "sat down with"
        if lemma in DISCUSS_VERBS and any(c.lower_ == "with" for c in token.children):
            return "meeting", 0.7
        if lemma in VERB_TRIGGERS:
            return VERB_TRIGGERS[lemma], 0.9
        return None
    if token.pos_ in ("NOUN", "PROPN") and (
        lemma in NOUN_TRIGGERS or token.lower_ in NOUN_TRIGGERS
    ):
        event_type = NOUN_TRIGGERS.get(lemma) or NOUN_TRIGGERS[token.lower_]
        if not _noun_is_carried(token):
            return None
        if lemma in PHONE_NOUNS:
            modifiers = {c.lower_ for c in token.children}
            if "courtesy" in modifiers:
                return "visit", 0.8  # "paid a courtesy call on X" is a visit
            return ("call", 0.85) if modifiers & PHONE_WORDS or has_phone else None
        if event_type == "military" and not {c.lower_ for c in token.children} & MILITARY_MODIFIERS:
            return None
        return event_type, 0.8
    return None


def _noun_is_carried(token: Token) -> bool:
    # "held talks", "paid a visit", "in a phone call", "during the meeting": the noun
    # is the event; "Kalin's visit marks ..." (subject of another verb) is commentary.
    head = token.head
    if token.dep_ == "ROOT":
        return True
    if token.dep_ in ("dobj", "attr") and head.lemma_.lower() in LIGHT_VERBS:
        return True
    if token.dep_ == "pobj" and head.lower_ in ("in", "during", "at"):
        return head.head.pos_ == "VERB" or head.head.dep_ == "ROOT"
    return token.dep_ == "nsubj" and head.lemma_.lower() in ("take", "occur", "happen")


def _has_person_object(token: Token) -> bool:
    return any(
        c.dep_ in ("dobj", "dative")
        and (c.ent_type_ in ("PERSON", "NORP", "ORG") or c.pos_ == "PROPN")
        for c in token.children
    )


def _depth(token: Token) -> int:
    depth = 0
    while token.head.i != token.i and depth < 50:
        token = token.head
        depth += 1
    return depth


# ------------------------------------------------------------------ status
def _status(trigger: Token) -> EventStatus | None:
    """occurred / planned / denied, or None for speculation that should be skipped."""
    chain = [trigger, *list(trigger.ancestors)[:3]]
    if any(t.lemma_.lower() in DENIAL_HEADS for t in chain):
        return "denied"
    if any(c.dep_ == "neg" for c in trigger.children) or any(
        c.lower_ == "no" and c.dep_ == "det" for c in trigger.children
    ):
        return "denied"
    auxes = {c.lower_ for t in chain[:2] for c in t.children if c.dep_ in ("aux", "auxpass")}
    if auxes & {"will", "shall", "'ll"} or any(t.lemma_.lower() in PLAN_HEADS for t in chain[1:]):
        return "planned"
    if any(c.lower_ in PLAN_MODIFIERS for c in trigger.children):
        return "planned"
    if auxes & SPECULATIVE_AUX:
        return None
    return "occurred"


# ------------------------------------------------------------------ actors
def _find_actors(sent: Span, mentions: list[Mention], ctx: ArticleContext) -> list[Actor]:
    actors: list[Actor] = []
    covered: list[tuple[int, int]] = []
    for mention in mentions:
        actor = _gazetteer_actor(sent, mention, mentions, ctx)
        if mention.kind in ("person", "surname", "role"):
            covered.append((mention.start, mention.end))
        if actor is not None:
            actors.append(actor)
    for span in _person_spans(sent):
        if any(s < span.end_char and span.start_char < e for s, e in covered):
            continue
        actor = _ner_actor(span, ctx)
        if actor is not None:
            actors.append(actor)
    return _unique(actors)


def _person_spans(sent: Span) -> list[Span]:
    """PERSON entities, plus delegation leaders the model tags otherwise.

    "led by Major General Ilkay Altindag" is often tagged ORG as a whole; the object of
    "led by"/"headed by" under a group noun is a person, titles stripped.
    """
    spans = [ent for ent in sent.ents if ent.label_ == "PERSON"]
    taken = {t.i for span in spans for t in span}
    for token in sent:
        if token.i in taken or _led_delegation(token) is None or token.pos_ != "PROPN":
            continue
        words = [t for t in token.subtree if t.pos_ == "PROPN" and t.i <= token.i]
        while words and words[0].lower_.rstrip(".") in TITLE_WORDS:
            words = words[1:]
        if words and words[-1].i == token.i and not _is_institution_word(words):
            spans.append(sent.doc[words[0].i : token.i + 1])
    return spans


def _is_institution_word(words: list[Token]) -> bool:
    return any(w.lower_ in ("ministry", "army", "forces", "council", "government") for w in words)


def _gazetteer_actor(
    sent: Span, mention: Mention, mentions: list[Mention], ctx: ArticleContext
) -> Actor | None:
    if mention.kind not in ("person", "surname", "role"):
        return None
    doc = sent.doc
    if mention.kind == "role" and _describes_unlisted_person(doc, mention):
        return None  # "the Turkish ambassador, Ahmet Yilmaz": the role is Yilmaz's
    before, after = _nearby_text(doc.text, mention, mentions)
    person = ctx.gaz.person_for_mention(
        mention,
        nearby=after,
        before=before,
        article_person_ids=ctx.named_person_ids,
        day=ctx.published,
    )
    if person is None:
        return None
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    role, role_span = _role_from_text(span) if span is not None else (None, None)
    if mention.kind == "role":
        role, role_span = _clean(mention.text), (mention.start, mention.end)
    return Actor(
        name=person.name,
        side=person.side,
        role=role or _gazetteer_role(person, ctx.published),
        start=mention.start,
        end=mention.end,
        role_span=role_span,
        via_role_only=mention.kind == "role",
        camp=_camp(person),
    )


def _camp(person: Person) -> Camp | None:
    if person.side == "libya" and person.camp in ("tripoli", "east"):
        return person.camp  # type: ignore[return-value]
    return None


def _participant(actor: Actor) -> Participant:
    return Participant(name=actor.name, side=actor.side, role=actor.role, camp=actor.camp)


def _gazetteer_role(person: Person, day: dt.date | None) -> str | None:
    return person.role_on(day)


def _nearby_text(text: str, mention: Mention, mentions: list[Mention]) -> tuple[str, str]:
    # The words next to a shared surname that can tell which person it is: a title
    # before it, an apposition after it, but not across another person's name and not
    # after a possessive ("Haftar's son" says nothing about Haftar's own office).
    left_limit = max(
        [m.end for m in mentions if m.end <= mention.start and m.kind in ("person", "surname")],
        default=0,
    )
    right_limit = min(
        [m.start for m in mentions if m.start >= mention.end and m.kind in ("person", "surname")],
        default=len(text),
    )
    before = text[max(left_limit, mention.start - 50) : mention.start]
    after = text[mention.end : min(right_limit, mention.end + 70)]
    if after.startswith(("'s", "’s")):
        after = ""
    return before, after


def _describes_unlisted_person(doc: Doc, mention: Mention) -> bool:
    for ent in doc.ents:
        if ent.label_ == "PERSON" and 0 <= ent.start_char - mention.end <= 3:
            return True
    return False


def _ner_actor(ent: Span, ctx: ArticleContext) -> Actor | None:
    role, role_span = _role_from_text(ent)
    side = _side_of_phrase(ctx.gaz, role or "") or _side_from_recent(ctx, role or "")
    if side is None:
        return None
    return Actor(
        name=_full_name(ent, ctx),
        side=side,
        role=role,
        start=ent.start_char,
        end=ent.end_char,
        role_span=role_span,
        from_gazetteer=False,
    )


# Group nouns whose side an earlier sentence may have given ("Türkiye's Ministry of
# National Defence said ... A ministry delegation headed by ...").
GROUP_NOUNS = ("ministry", "embassy", "delegation", "army", "navy", "government", "presidency")


def _side_from_recent(ctx: ArticleContext, role: str) -> Side | None:
    words = set(re.findall(r"\w+", role.lower()))
    for noun in (n for n in GROUP_NOUNS if n in words):
        for previous in reversed(ctx.recent_sentences):
            for match in re.finditer(rf"((?:[\w'’]+\W+){{0,3}}){noun}\b", previous, re.I):
                side = _side_of_phrase(ctx.gaz, match.group(0))
                if side is not None:
                    return side
    return None


def _full_name(ent: Span, ctx: ArticleContext) -> str:
    name = re.sub(r"['’]s$", "", ent.text.strip())
    if len(name.split()) == 1:
        return ctx.full_names.get(normalise_name(name), name)
    return name


def _side_of_phrase(gaz: Gazetteer, phrase: str) -> Side | None:
    # "Turkish ambassador to Libya" is Turkish: what follows to/in/at is a destination.
    head = SIDE_CUT_RE.sub("", phrase)
    for mention in gaz.find_mentions(head):
        side = gaz.side_of_mention(mention)
        if side is not None:
            return side
    return None


def _role_from_text(span: Span) -> tuple[str | None, tuple[int, int] | None]:
    """The office the text gives a name: apposition, leading title, or delegation head."""
    root = span.root
    for child in root.children:
        if child.dep_ == "appos" and child.i > root.i and child.ent_type_ != "PERSON":
            return _phrase(child, exclude=None)
    if root.dep_ == "appos" and root.head.i < span.start:
        return _phrase(root.head, exclude=root)
    title = _title_before(span)
    delegation = _led_delegation(root)
    if delegation is not None:
        text, where = delegation
        role = f"{title[0]}, head of the {text}" if title[0] else f"head of the {text}"
        return role, where
    return title


def _phrase(head: Token, exclude: Token | None) -> tuple[str | None, tuple[int, int] | None]:
    # The noun phrase under ``head`` minus coordinated people and the named person.
    skip: set[int] = set()
    for child in head.children:
        if child.dep_ in ("conj", "cc", "appos", "relcl", "acl") or child.ent_type_ == "PERSON":
            skip.update(t.i for t in child.subtree)
    tokens = [t for t in head.subtree if t.i not in skip]
    if exclude is not None:
        # "the commander of X, Khalifa Haftar, in Benghazi": the office ends at the name.
        first = min(t.i for t in exclude.subtree)
        tokens = [t for t in tokens if t.i < first]
    tokens = _trim(tokens)
    if not tokens:
        return None, None
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
    return _clean(head.doc.text[start:end]), (start, end)


def _trim(tokens: list[Token]) -> list[Token]:
    while tokens and (tokens[0].is_punct or tokens[0].lower_ in DETERMINERS):
        tokens = tokens[1:]
    while tokens and tokens[-1].is_punct and tokens[-1].text not in (")",):
        tokens = tokens[:-1]
    return tokens


def _title_before(span: Span) -> tuple[str | None, tuple[int, int] | None]:
    # "Prime Minister X", "Major General X", "Turkish ... (MIT) Director X": the run of
    # capitalised words (and "of the", brackets) right before the name.
    doc = span.doc
    i = span.start - 1
    run: list[Token] = []
    while i >= 0:  # each doc is one sentence (see extract_events)
        token = doc[i]
        titled = (token.is_title or token.is_upper) and token.pos_ in ("PROPN", "NOUN", "ADJ")
        if token.ent_type_ in ("DATE", "TIME", "PERSON") and not titled:
            break
        joiner = token.text in ("(", ")") or token.lower_ in ("of", "the")
        if (titled and token.ent_type_ not in ("DATE", "TIME")) or joiner:
            run.insert(0, token)
        else:
            break
        i -= 1
    run = _trim(run)
    while run and run[0].lower_ in ("of", "the", ")"):
        run = _trim(run[1:])
    if not run:
        return None, None
    start, end = run[0].idx, run[-1].idx + len(run[-1])
    return _clean(doc.text[start:end]), (start, end)


def _led_delegation(root: Token) -> tuple[str, tuple[int, int]] | None:
    # "a Turkish defence ministry delegation, led by Major General X"
    by = root.head
    if root.dep_ != "pobj" or by.lower_ != "by":
        return None
    verb = by.head
    if verb.lemma_.lower() not in ("lead", "head", "chair"):
        return None
    group = verb.head
    if group.pos_ not in ("NOUN", "PROPN"):
        return None
    text, where = _phrase(group, exclude=verb)
    return (text, where) if text and where else None


def _clean(text: str) -> str:
    text = " ".join(text.split()).strip(" ,;:")
    if text.count("(") > text.count(")"):
        text += ")"  # the parser often hangs "(MIT)"'s closing bracket elsewhere
    words = text.split()
    while words and words[0].lower() in DETERMINERS:
        words = words[1:]
    return " ".join(words)


def _unique(actors: list[Actor]) -> list[Actor]:
    # The same person named twice ("Commander ... Khalifa Haftar" + role phrase): keep
    # the mention with a text role, and the earliest position.
    kept: dict[str, Actor] = {}
    for actor in actors:
        prior = kept.get(actor.key)
        if prior is None:
            kept[actor.key] = actor
        elif prior.via_role_only and not actor.via_role_only:
            actor.role = actor.role or prior.role
            kept[actor.key] = actor
    return list(kept.values())


def _both_sides(actors: list[Actor]) -> bool:
    sides = {a.side for a in actors}
    return {"turkiye", "libya"} <= sides


def _add_participants(candidate: Candidate, actors: list[Actor]) -> None:
    for actor in actors:
        if actor.key in candidate.keys:
            continue
        candidate.keys.add(actor.key)
        candidate.event.participants.append(_participant(actor))


# ------------------------------------------------------------------ place
def _location(
    sent: Span,
    mentions: list[Mention],
    actors: list[Actor],
    ctx: ArticleContext,
    event_type: EventType,
) -> tuple[str | None, str | None]:
    if event_type == "call":
        return None, None  # a phone call has no single place
    role_spans = [a.role_span for a in actors if a.role_span]
    country: str | None = None
    for mention in mentions:
        place = ctx.gaz.place_for_mention(mention)
        if place is None or any(s <= mention.start < e for s, e in role_spans):
            continue
        if not _introduced_as_place(sent.doc.text, mention.start):
            continue
        if place.is_country:
            country = country or place.country
            continue
        return place.name, place.country
    city, title_country = ctx.title_place
    if city is not None:
        return city, title_country
    # "visited Libya" with no city still says where: the country is the place we know.
    country = country or title_country
    return country, country


def _introduced_as_place(text: str, start: int) -> bool:
    before = text[max(0, start - 25) : start].split()
    while before and before[-1].lower() in DETERMINERS:
        before.pop()
    return bool(before) and before[-1].lower() in PLACE_PREPOSITIONS | {"arrived"}


# ------------------------------------------------------------------ scoring and merging
def _confidence(
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


_CONTACT_CLASS: dict[str, str] = {"meeting": "contact", "visit": "contact"}


def _same_contact(a: Candidate, b: Candidate) -> bool:
    ea, eb = a.event, b.event
    if _CONTACT_CLASS.get(ea.type, ea.type) != _CONTACT_CLASS.get(eb.type, eb.type):
        return False
    if ea.status != eb.status:
        return False
    # A restatement without its own date words (date from publication) can merge with
    # the dated report; two different dates in the text are two contacts.
    if ea.date_source == "text" and eb.date_source == "text" and ea.date != eb.date:
        return False
    shared = a.keys & b.keys
    sides = {p.side for p in ea.participants if normalise_name(p.name) in shared}
    return {"turkiye", "libya"} <= sides


def _merge_duplicates(candidates: list[Candidate]) -> list[Candidate]:
    """One event per contact: a lede restated later is merged into the first report."""
    merged: list[Candidate] = []
    for candidate in candidates:
        target = next((m for m in merged if _same_contact(m, candidate)), None)
        if target is None:
            merged.append(candidate)
            continue
        _add_participants(
            target,
            [
                Actor(p.name, p.side or "other", p.role, 0, 0, camp=p.camp)
                for p in candidate.event.participants
            ],
        )
        event = target.event
        if event.date_source == "published" and candidate.event.date_source == "text":
            event.date, event.date_source = candidate.event.date, "text"
        if event.location is None and candidate.event.location is not None:
            event.location, event.country = candidate.event.location, candidate.event.country
        event.confidence = max(event.confidence, candidate.event.confidence)
    return merged


# ------------------------------------------------------------------ PLOVER categories
DATA_DIR = Path(__file__).parent / "data"


@cache
def _event_type_table() -> dict[str, Any]:
    with (DATA_DIR / "event_types.yaml").open(encoding="utf-8") as handle:
        table: dict[str, Any] = yaml.safe_load(handle)["types"]
    return table


def plover_category(event_type: str, evidence: str = "") -> str | None:
    """The PLOVER category of an event type, refined for military events by their wording."""
    entry = _event_type_table().get(event_type)
    if entry is None:
        return None
    words = set(re.findall(r"\w+", evidence.lower()))
    for cue in entry.get("military_cues", []):
        if any(w.startswith(cue["cue"]) for w in words):
            return str(cue["plover"])
    return str(entry["plover"])


# ------------------------------------------------------------------ Turkish
# spaCy has no Turkish model here, so Turkish articles get gazetteer-anchored rules:
# a sentence counts when a Turkish trigger phrase (data/turkish.yaml) and known actors
# of both sides appear in it. Names carry case suffixes after an apostrophe
# ("Hafter'le", "Bingazi'de"): gazetteer matching stops at the apostrophe, and the
# suffix tells a place of meeting ('de/'da) from other uses of a city name.
@dataclass(frozen=True)
class TurkishRules:
    triggers: tuple[tuple[re.Pattern[str], EventType, EventStatus], ...]
    not_news: re.Pattern[str]
    place_suffix: re.Pattern[str]


@cache
def turkish_rules() -> TurkishRules:
    with (DATA_DIR / "turkish.yaml").open(encoding="utf-8") as handle:
        raw: dict[str, Any] = yaml.safe_load(handle)
    triggers = tuple(
        (re.compile(rf"(?<!\w)(?:{t['pattern']})(?!\w)"), t["type"], t["status"])
        for t in raw["triggers"]
    )
    suffixes = sorted({normalise(s) for s in raw["place_suffixes"]}, key=len, reverse=True)
    return TurkishRules(
        triggers=triggers,
        not_news=re.compile("|".join(raw["not_news"])),
        place_suffix=re.compile(r"^['’](?:" + "|".join(suffixes) + r")(?!\w)"),
    )


def extract_turkish_events(
    text: str, *, published: dt.date | None, title: str | None = None
) -> list[ExtractedEvent]:
    """Contacts between known actors in a Turkish-language article."""
    rules = turkish_rules()
    gaz = load_gazetteer()
    paragraphs = [p.strip() for p in text.splitlines() if p.strip()]
    body = [p for p in paragraphs if _is_body_paragraph(p)]
    named = {
        gaz.person_aliases[m.key] for m in gaz.find_mentions(title or "") if m.kind == "person"
    }
    title_place = _turkish_place(gaz, title or "", gaz.find_mentions(title or ""), rules)
    candidates: list[Candidate] = []
    sentences = [s for paragraph in body for s in split_sentences(paragraph)]
    for index, sentence in enumerate(sentences, start=1):
        mentions = gaz.find_mentions(sentence)
        candidate = _turkish_event(sentence, mentions, gaz, rules, named, published, index)
        if candidate is not None:
            if candidate.event.type != "call" and candidate.event.location is None:
                city, country = title_place
                candidate.event.location, candidate.event.country = city or country, country
            candidates.append(candidate)
        named |= {gaz.person_aliases[m.key] for m in mentions if m.kind == "person"}
    return _finish(candidates)


def _turkish_event(
    sentence: str,
    mentions: list[Mention],
    gaz: Gazetteer,
    rules: TurkishRules,
    named: set[str],
    published: dt.date | None,
    index: int,
) -> Candidate | None:
    folded = normalise(sentence)
    if sentence.rstrip().endswith("?") or rules.not_news.search(folded):
        return None
    hit = next(
        (
            (m, kind, status)
            for pattern, kind, status in rules.triggers
            if (m := pattern.search(folded))
        ),
        None,
    )
    if hit is None:
        return None
    _, event_type, status = hit
    actors = _turkish_actors(sentence, mentions, gaz, named, published)
    if not _both_sides(actors):
        return None
    day: dt.date | None = None
    source: str | None = None
    if published is not None:
        if _turkish_dates_history(sentence, published):
            return None
        day, origin = resolve_turkish_event_date(sentence, published, future=status == "planned")
        source = None if origin == "vague" or day is None else origin
        day = day if source else None
    city, country = (None, None)
    if event_type != "call":
        city, country = _turkish_place(gaz, sentence, mentions, rules)
    event = ExtractedEvent(
        type=event_type,
        status=status,
        date=day,
        date_source=source,  # type: ignore[arg-type]
        location=city or country,
        country=country,
        participants=[_participant(a) for a in actors],
        evidence=sentence.strip(),
        confidence=0.8 if (city or event_type == "call") else 0.75,
    )
    return Candidate(event, index, {a.key for a in actors})


def _turkish_actors(
    sentence: str,
    mentions: list[Mention],
    gaz: Gazetteer,
    named: set[str],
    published: dt.date | None,
) -> list[Actor]:
    actors: list[Actor] = []
    for i, mention in enumerate(mentions):
        if mention.kind not in ("person", "surname", "role"):
            continue
        if mention.kind == "role" and not _turkish_role_stands_alone(sentence, mentions, i, gaz):
            continue
        before, after = _nearby_text(sentence, mention, mentions)
        person = gaz.person_for_mention(
            mention, nearby=after, before=before, article_person_ids=named, day=published
        )
        if person is None:
            continue
        actors.append(
            Actor(
                name=person.name,
                side=person.side,
                role=person.role_on(published),
                start=mention.start,
                end=mention.end,
                via_role_only=mention.kind == "role",
                camp=_camp(person),
            )
        )
    return _unique(actors)


def _turkish_role_stands_alone(
    sentence: str, mentions: list[Mention], i: int, gaz: Gazetteer
) -> bool:
    # "Cumhurbaşkanı Erdoğan": the name that follows is the actor. "Mısır Cumhurbaşkanı
    # Sisi": another country's office. "Cumhurbaşkanı Abdulfettah ...": an unknown name.
    mention = mentions[i]
    following = sentence[mention.end : mention.end + 40].lstrip()
    if following[:1].isupper():
        return False
    previous = [m for m in mentions[:i] if m.end <= mention.start]
    if previous and mention.start - previous[-1].end <= 2:
        side = gaz.side_of_mention(previous[-1])
        role_side = gaz.side_of_mention(mention)
        if side is not None and side != role_side:
            return False
    return True


def _turkish_place(
    gaz: Gazetteer, sentence: str, mentions: list[Mention], rules: TurkishRules
) -> tuple[str | None, str | None]:
    """The city (and country) a case suffix marks as the place: "Bingazi'de", "Trablus'a"."""
    folded = normalise(sentence)
    country: str | None = None
    for mention in mentions:
        place = gaz.place_for_mention(mention)
        if place is None or not rules.place_suffix.match(folded[mention.end :]):
            continue
        if place.is_country:
            country = country or place.country
            continue
        return place.name, place.country
    return None, country


def _turkish_dates_history(sentence: str, published: dt.date) -> bool:
    return _mentions_history(find_turkish_date_mentions(sentence, published), published)
