"""Places: where a contact happened, from the sentence, else the headline."""

from __future__ import annotations

from spacy.tokens import Span

from pipeline.extract.actors import Actor, ArticleContext
from pipeline.extract.roles import DETERMINERS
from pipeline.gazetteer import Gazetteer, Mention
from pipeline.records import EventType

PLACE_PREPOSITIONS = {"in", "at", "to", "visited", "visit", "visiting", "visits", "toured", "into"}
PLACE_HEADS = {"port", "city", "town", "capital", "harbour", "harbor", "outskirts"}


def title_place(gaz: Gazetteer, title: str) -> tuple[str | None, str | None]:
    for mention in gaz.find_mentions(title):
        place = gaz.place_for_mention(mention)
        if place is None:
            continue
        before = title[: mention.start].split()
        if before and before[-1].lower() in PLACE_PREPOSITIONS | {"travels", "arrives"}:
            return (None if place.is_country else place.name), place.country
    return None, None


# ------------------------------------------------------------------ place
def location(
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
        if not introduced_as_place(sent.doc.text, mention.start):
            continue
        if place.is_country:
            country = country or place.country
            continue
        return place.name, place.country
    city, title_country = ctx.title_place
    if city is not None:
        return city, title_country
    # "visited Libya" with no city: the country, and no location (as annotators write it).
    country = country or title_country
    return None, country


def introduced_as_place(text: str, start: int) -> bool:
    before = text[max(0, start - 25) : start].split()
    while before and (before[-1].lower() in DETERMINERS or before[-1].endswith(("'s", "’s"))):
        before.pop()  # "in the capital", "arrived to Turkey's Istanbul"
    if len(before) >= 2 and before[-1].lower() == "of" and before[-2].lower() in PLACE_HEADS:
        return True  # "docked at the port of Misrata"
    if before and before[-1].rstrip(",").lower() in PLACE_HEADS:
        # "in the oil-rich country's capital, Tripoli": the head's own preposition
        words = text[max(0, start - 60) : start].split()[-6:-1]
        return any(w.lower() in PLACE_PREPOSITIONS for w in words)
    return bool(before) and before[-1].lower() in PLACE_PREPOSITIONS | {"arrived"}
