"""Actors: who takes part in a contact, on which side, in what role."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from spacy.tokens import Doc, Span

from pipeline.extract.anaphora import offices_named_before

# Actor, ArticleContext and camp_of live in ``context`` (``unlisted`` needs them too);
# the modules that import them from here still may.
from pipeline.extract.context import Actor, ArticleContext, camp_of
from pipeline.extract.lexicon import COUNTERPART_OFFICES, OFFICE_NOUNS
from pipeline.extract.roles import clean_role, role_from_text
from pipeline.extract.unlisted import TITLE_WORDS, ner_actor, person_spans
from pipeline.folding import normalise_name
from pipeline.gazetteer import Mention, Person
from pipeline.records import Participant
from pipeline.transliteration import skeleton

# A person named only as someone's relative: the someone is not a party.
_KIN = r"(?:sons?|daughters?|brothers?|wife|nephew)"
_RANK = r"(?:eldest\s+|youngest\s+|second\s+)?"
RELATIVE_RE = re.compile(rf"\s*['’]s\s+{_RANK}{_KIN}\b")  # "Haftar's son …"
KINSHIP_RE = re.compile(
    rf"(?:[\w-]+['’]s\s+)?(?:(?:his|her|eldest|youngest|second)\s+)*{_KIN}", re.I
)
# Not an office: "his Libyan counterpart", "their Turkish host" (who he is to the other
# party); "the Turkish and Libyan foreign ministers, A and B" (both sides' offices at once).
NOT_AN_OFFICE_RE = re.compile(
    r"(?:(?:his|her|their|the)\s+)?(?:[\w’'-]+\s+)?(?:counterparts?|hosts?|guests?|visitors?)"
    r"|(?:the\s+)?(?:Turkish|Libyan)\s+and\s+(?:Turkish|Libyan)\s+(?:\w+\s+)?\w+s",
    re.I,
)
# "… son of Khalifa Haftar": the name after it is the parent's, before it the relative's.
# Someone acting for a person is not that person: "the advisers of the Turkish President",
# "the special envoy of the Speaker", "Saleh's envoy", "forces loyal to Haftar".
_AGENTS = (
    r"(?:special\s+)?(?:envoys?|representatives?|emissar(?:y|ies)|advis[eo]rs?|aides?"
    r"|supporters|loyalists|militias|spokes(?:man|woman|person))"
)
# Only "the/an envoy of X": "Turkey's special envoy for Libya Emrullah Isler" is the envoy.
AGENT_OF_RE = re.compile(
    rf"\b(?:the|an?|his|her|their)\s+{_AGENTS}\s+of\s+(?:[\w'’-]+\s+){{0,4}}$", re.I
)
AGENT_AFTER_RE = re.compile(rf"\s*['’]s?\s+{_AGENTS}\b", re.I)
RELATIVE_OF_RE = re.compile(rf"\b{_KIN}\s+of\s+(?:[\w'’-]+\s+){{0,4}}$", re.I)
KIN_OF_RE = re.compile(rf",?\s+(?:the\s+)?{_RANK}{_KIN}\s+of\b", re.I)
# An office someone is given ("elected as head of the council"): it names that person,
# not whoever held it before.
NEW_OFFICE_RE = re.compile(
    r"\b(?:elected|appointed|named|chosen|sworn\s+in|nominated|designated|became|succeeds?"
    r"|succeeded|replaces?|replaced)\s+(?:as\s+)?(?:the\s+)?(?:new\s+)?$",
    re.I,
)


# ------------------------------------------------------------------ actors
def find_actors(sent: Span, mentions: list[Mention], ctx: ArticleContext) -> list[Actor]:
    actors: list[Actor] = []
    covered: list[tuple[int, int]] = []
    for mention in mentions:
        if mention.kind in ("person", "surname", "role"):
            covered.append((mention.start, mention.end))
            before = sent.doc.text[max(0, mention.start - 60) : mention.start]
            if RELATIVE_OF_RE.search(before):
                continue  # "Haftar, son of eastern commander Khalifa Haftar": not the father
            if AGENT_OF_RE.search(before) or AGENT_AFTER_RE.match(sent.doc.text, mention.end):
                continue  # "the special envoy of Speaker Saleh visited …": not Saleh
            relative = RELATIVE_RE.match(sent.doc.text, mention.end)
            if relative:
                # "the LNA commander's son": not the commander; "Haftar's son Saddam": the
                # son by his full name, where the gazetteer knows him.
                kin = _relative_named(sent, mention, relative.end(), ctx)
                if kin is not None:
                    actors.append(kin)
                    covered.append((kin.start, kin.end))
                continue
        actor = _gazetteer_actor(sent, mention, mentions, ctx)
        if actor is not None:
            actors.append(actor)
    for span in person_spans(sent):
        if any(s < span.end_char and span.start_char < e for s, e in covered):
            continue
        actor = ner_actor(span, ctx)
        if actor is not None:
            actors.append(actor)
            covered.append((span.start_char, span.end_char))
    # A surname the model does not tag (or tags as a place) after the story named the person
    # in full: "Colonel Faraj Benkhayal arrived … Benkhayal met …".
    covered += [(m.start, m.end) for m in mentions]
    for token in sent:
        if token.pos_ != "PROPN" or any(s <= token.idx < e for s, e in covered):
            continue
        known = ctx.recall(token.text)
        if known is not None and not known.via_role_only:
            end = token.idx + len(token.text)
            actors.append(
                Actor(
                    known.name,
                    known.side,
                    known.role,
                    token.idx,
                    end,
                    from_gazetteer=known.from_gazetteer,
                    camp=known.camp,
                )
            )
    actors += _coordinated_offices(sent, ctx)
    actors += _unnamed_counterpart(sent, actors, ctx)
    actors += _the_countrys_office(sent, actors, ctx)
    actors += offices_named_before(sent, actors, ctx)  # "The foreign minister met …"
    return unique_actors(actors)


GIVEN_NAME_RE = re.compile(r",?\s+([A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)")


def _relative_named(sent: Span, mention: Mention, at: int, ctx: ArticleContext) -> Actor | None:
    """ "Haftar's son Saddam", "Haftar's son, Khaled,": the given name after the relation
    with the family name before it, a person only if the gazetteer lists that full name."""
    if mention.kind not in ("person", "surname"):
        return None
    given = GIVEN_NAME_RE.match(sent.doc.text, at)
    if given is None:
        return None
    family = mention.text.split()[-1]
    for words in (given.group(1), given.group(1).split()[0]):
        full = f"{words} {family}"
        hits = [m for m in ctx.gaz.find_mentions(full) if m.kind == "person"]
        if hits and hits[0].start == 0 and hits[0].end == len(full):
            end = given.start(1) + len(words)
            named = Mention("person", given.start(1), end, full, hits[0].key)
            actor = _gazetteer_actor(sent, named, [named], ctx)
            if actor is not None:
                actor.role = None if actor.role and KINSHIP_RE.fullmatch(actor.role) else actor.role
                return actor
    return None


# "the Turkish and Libyan foreign ministers": one office of each country, plural.
COORDINATED_OFFICES_RE = re.compile(
    r"\b(Turkish|Libyan)\s+and\s+(Turkish|Libyan)\s+((?:[a-z]+\s+){0,2}?)"
    r"(ministers|chiefs(?:\s+of\s+(?:general\s+)?staff)?|speakers|ambassadors|commanders)\b"
)


def _coordinated_offices(sent: Span, ctx: ArticleContext) -> list[Actor]:
    found = []
    text = sent.doc.text
    for match in COORDINATED_OFFICES_RE.finditer(text):
        office = match.group(3) + re.sub(r"^(\w+?)s\b", r"\1", match.group(4))
        for demonym in (match.group(1), match.group(2)):
            mention = _office_mention(ctx, f"{demonym} {office}", match.start(), match.end())
            actor = _gazetteer_actor(sent, mention, [mention], ctx) if mention else None
            found += [actor] if actor is not None else []
    return found


def _office_mention(ctx: ArticleContext, phrase: str, start: int, end: int) -> Mention | None:
    """The gazetteer office ``phrase`` is, word for word ("Libyan foreign minister"), as a
    mention of the sentence's characters ``start``–``end`` that told it another way."""
    hit = next(
        (m for m in ctx.gaz.find_mentions(phrase) if m.kind == "role" and m.start == 0),
        None,
    )
    if hit is None or hit.end != len(phrase):
        return None
    return Mention("role", start, end, phrase, hit.key)


COUNTERPART_RE = re.compile(r"\b(?:his|her|their)\s+(Turkish|Libyan)\s+counterparts?\b")


def _unnamed_counterpart(sent: Span, actors: list[Actor], ctx: ArticleContext) -> list[Actor]:
    """ "Fidan received his Libyan counterpart": whoever held the same office on the
    other side on the day of the contact."""
    match = COUNTERPART_RE.search(sent.doc.text)
    if match is None:
        return []
    side = "turkiye" if match.group(1) == "Turkish" else "libya"
    if any(a.side == side for a in actors):
        return []  # "his Libyan counterpart Emad Trabelsi": named
    for office in counterpart_offices(actors, side):
        mention = _office_mention(ctx, f"{match.group(1)} {office}", match.start(), match.end())
        if mention is not None:
            found = _gazetteer_actor(sent, mention, [mention], ctx)
            return [found] if found is not None else []
    return []


def counterpart_offices(actors: list[Actor], side: str) -> list[str]:
    """The offices ("foreign minister") that the listed people of the other side than
    ``side`` hold, by the lexicon's ``counterpart_offices``: what "his counterpart" is."""
    offices = []
    for actor in actors:
        if actor.side in (side, "other") or not actor.from_gazetteer:
            continue
        held = (actor.role or "").lower()
        offices += [o for pattern, o in COUNTERPART_OFFICES.items() if re.search(pattern, held)]
    return offices


# "the country's prime minister", "the North African country's foreign minister": the
# office of the country the story just named, up to four words of it.
COUNTRYS_OFFICE_RE = re.compile(
    r"\bthe\s+(?:[\w-]+\s+){0,2}?country['’]s\s+((?:[a-z-]+\s+){0,3}[a-z-]+)"
)
LAST_COUNTRY_RE = re.compile(r"\b(Liby|Turk|Türk)\w*", re.I)


def _the_countrys_office(sent: Span, actors: list[Actor], ctx: ArticleContext) -> list[Actor]:
    """ "after talks with the country's foreign minister": whoever held that office of
    the country last named (in this sentence or the ones before) on the day."""
    match = COUNTRYS_OFFICE_RE.search(sent.doc.text)
    if match is None:
        return []
    before = " ".join([*ctx.recent_sentences, sent.doc.text[: match.start()]])
    named = [m.group(1).lower() for m in LAST_COUNTRY_RE.finditer(before)]
    if not named:
        return []
    demonym = "Libyan" if named[-1] == "liby" else "Turkish"
    side = "libya" if demonym == "Libyan" else "turkiye"
    if any(a.side == side for a in actors):
        return []
    words = match.group(1).split()
    for count in range(len(words), 0, -1):
        office = " ".join(words[:count])
        end = match.start(1) + len(office)
        mention = _office_mention(ctx, f"{demonym} {office}", match.start(), end)
        if mention is not None:
            found = _gazetteer_actor(sent, mention, [mention], ctx)
            return [found] if found is not None else []
    return []


# A word before an office that makes it another office or another time's holder.
OTHER_OFFICE_RE = re.compile(r"\b(?:deputy|vice|assistant|under|former|ex)[\s-]*$", re.I)


def _gazetteer_actor(
    sent: Span, mention: Mention, mentions: list[Mention], ctx: ArticleContext
) -> Actor | None:
    if mention.kind not in ("person", "surname", "role"):
        return None
    doc = sent.doc
    if mention.kind == "role" and _describes_unlisted_person(doc, mention):
        return None  # "the Turkish ambassador, Ahmet Yilmaz": the role is Yilmaz's
    if mention.kind == "role" and NEW_OFFICE_RE.search(
        doc.text[max(0, mention.start - 40) : mention.start]
    ):
        return None  # "A and B, elected as head of the council and prime minister": theirs
    if mention.kind == "role" and OTHER_OFFICE_RE.search(doc.text[: mention.start]):
        return None  # "the Deputy Head of the Presidential Council": not its head
    before, after = nearby_text(doc.text, mention, mentions)
    article_ids, father = set(ctx.named_person_ids), None
    son_of = KIN_OF_RE.match(doc.text, mention.end) if mention.kind == "surname" else None
    if son_of:
        # "Haftar, son of Khalifa Haftar, …": one of the story's other Haftars, not him.
        named = [m for m in mentions if m.start >= son_of.end() and m.kind == "person"]
        father = ctx.gaz.person_aliases[named[0].key] if named else None
        article_ids.discard(father)
    person = ctx.gaz.person_for_mention(
        mention,
        nearby="" if son_of else after,
        before=before,
        article_person_ids=article_ids,
        day=ctx.day,
    )
    if person is None or (son_of and person.id in (father, None)):
        return None
    if mention.kind != "role" and _other_given_name(doc, mention, person):
        return None  # "Mohamed Zeidan" is not Ali Zeidan
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    role, role_span = role_from_text(span) if span is not None else (None, None)
    if mention.kind == "role":
        role, role_span = clean_role(mention.text), (mention.start, mention.end)
    elif role_span and _names_someone_else(role_span, mention, mentions):
        role, role_span = None, None  # a misparse: "X and head of Y (GNU) Z" is not X's office
    if role and (KINSHIP_RE.fullmatch(role) or NOT_AN_OFFICE_RE.fullmatch(role)):
        role = None  # "Haftar's son Saddam Haftar", "his counterpart": not an office
    return Actor(
        name=person.name,
        side=person.side,
        role=role or _gazetteer_role(person, ctx.day),
        start=mention.start,
        end=mention.end,
        role_span=role_span,
        via_role_only=mention.kind == "role",
        camp=camp_of(person),
    )


def _names_someone_else(span: tuple[int, int], mention: Mention, mentions: list[Mention]) -> bool:
    return any(
        m.kind in ("person", "surname") and span[0] <= m.start < span[1] and m.key != mention.key
        for m in mentions
    )


def _other_given_name(doc: Doc, mention: Mention, person: Person) -> bool:
    """A one-word name right after a capitalised given name the person does not bear."""
    if " " in mention.text.strip() or "-" in mention.text.strip():
        return False
    given = GIVEN_BEFORE_RE.search(doc.text[max(0, mention.start - 40) : mention.start])
    if given is None:
        return False
    word = given.group(1).lower()
    if word in TITLE_WORDS or word in OFFICE_NOUNS:
        return False
    # Compared by consonant skeleton: "Abdelhameed" is "Abdulhamid" in another spelling.
    return skeleton(word) not in _name_skeletons(person)


GIVEN_BEFORE_RE = re.compile(r"([A-Z][a-z]+) $")


@cache
def _name_skeletons(person: Person) -> frozenset[str]:
    return frozenset(skeleton(w) for alias in person.aliases for w in normalise_name(alias).split())


def actor_of(p: Participant) -> Actor:
    """A participant of an event already assembled, as an actor to add to another."""
    return Actor(p.name, p.side or "other", p.role, 0, 0, camp=p.camp)


def participant(actor: Actor) -> Participant:
    return Participant(name=actor.name, side=actor.side, role=actor.role, camp=actor.camp)


def _gazetteer_role(person: Person, day: dt.date | None) -> str | None:
    return person.role_on(day)


def nearby_text(text: str, mention: Mention, mentions: list[Mention]) -> tuple[str, str]:
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


def unique_actors(actors: list[Actor]) -> list[Actor]:
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


def both_sides(actors: list[Actor]) -> bool:
    sides = {a.side for a in actors}
    return {"turkiye", "libya"} <= sides
