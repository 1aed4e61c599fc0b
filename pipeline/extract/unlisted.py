"""People the gazetteer does not list: a name the model tags as a person, or a delegation's
leader, whose side its title gives ("the Turkish ambassador"), or a group noun an earlier
sentence placed ("a ministry delegation"), or the article's earlier mention of them."""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from pipeline.extract.context import Actor, ArticleContext, camp_of
from pipeline.extract.roles import TITLE_WORDS, led_delegation, role_from_text
from pipeline.gazetteer import Gazetteer, normalise_name
from pipeline.records import Side
from pipeline.transliteration import person_by_spelling

# A role that names an outlet or a journalist: the person is a source, not a party.
MEDIA_RE = re.compile(
    r"\b(?:newspaper|daily|agency|broadcaster|channel|television|tv|outlet|website|magazine"
    r"|radio|news|journalist|reporter|correspondent|columnist)\b",
    re.I,
)
SIDE_CUT_RE = re.compile(r"\s(?:to|in|at|for|on|with)\s.*$", re.I)


def person_spans(sent: Span) -> list[Span]:
    """PERSON entities, plus delegation leaders the model tags otherwise.

    "led by Major General Ilkay Altindag" is often tagged ORG as a whole; the object of
    "led by"/"headed by" under a group noun is a person, titles stripped.
    """
    spans = [ent for ent in sent.ents if ent.label_ == "PERSON"]
    taken = {t.i for span in spans for t in span}
    for token in sent:
        if token.i in taken or led_delegation(token) is None or token.pos_ != "PROPN":
            continue
        words = [t for t in token.subtree if t.pos_ == "PROPN" and t.i <= token.i]
        while words and words[0].lower_.rstrip(".") in TITLE_WORDS:
            words = words[1:]
        if words and words[-1].i == token.i and not _is_institution_word(words):
            spans.append(sent.doc[words[0].i : token.i + 1])
    return spans


def _is_institution_word(words: list[Token]) -> bool:
    return any(w.lower_ in ("ministry", "army", "forces", "council", "government") for w in words)


def ner_actor(ent: Span, ctx: ArticleContext) -> Actor | None:
    """A person the gazetteer does not list, if the story gives their side."""
    text = ent.text.strip()
    if any(
        m.kind == "place" and m.end - m.start >= len(text) - 1 for m in ctx.gaz.find_mentions(text)
    ):
        return None  # "Al-Khums" tagged as a person: a place, not a party
    role, role_span = role_from_text(ent)
    if role and MEDIA_RE.search(role):
        return None  # "the Turkish newspaper, Hurriyet": a source, not a party
    side = side_of_phrase(ctx.gaz, role or "") or _side_from_recent(ctx, role or "")
    listed = person_by_spelling(ctx.gaz, re.sub(r"['’]s$", "", ent.text.strip()))
    if listed is not None and side in (None, listed.side):
        # "Abd Alhamid Aldabaiba": a listed official in a spelling the gazetteer lacks.
        return Actor(
            name=listed.name,
            side=listed.side,
            role=role or listed.role_on(ctx.day),
            start=ent.start_char,
            end=ent.end_char,
            role_span=role_span,
            camp=camp_of(listed),
        )
    if side is None:
        known = ctx.recall(re.sub(r"['’]s$", "", ent.text.strip()))
        if known is None:
            return None
        return Actor(
            name=known.name,
            side=known.side,
            role=role or known.role,
            start=ent.start_char,
            end=ent.end_char,
            role_span=role_span,
            from_gazetteer=known.from_gazetteer,
            camp=known.camp,
        )
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
                side = side_of_phrase(ctx.gaz, match.group(0))
                if side is not None:
                    return side
    return None


def _full_name(ent: Span, ctx: ArticleContext) -> str:
    name = re.sub(r"['’]s$", "", ent.text.strip())
    if len(name.split()) == 1:
        return ctx.full_names.get(normalise_name(name), name)
    return name


def side_of_phrase(gaz: Gazetteer, phrase: str) -> Side | None:
    # "Turkish ambassador to Libya" is Turkish: what follows to/in/at is a destination.
    head = SIDE_CUT_RE.sub("", phrase)
    for mention in gaz.find_mentions(head):
        side = gaz.side_of_mention(mention)
        if side is not None:
            return side
    # "Head of the foreign affairs committee in the House of Representatives": a body of
    # one side after "in" (not a country or a city, which are destinations) is the side.
    countries = {place.name for place in gaz.places.values() if place.is_country}
    for mention in gaz.find_mentions(phrase):
        if mention.kind == "institution":
            institution = gaz.institution_aliases[mention.key]
            if institution.name not in countries and institution.side in ("turkiye", "libya"):
                return institution.side
    return None
