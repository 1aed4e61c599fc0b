"""Actors: who takes part in a contact, on which side, in what role."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from pipeline.extract.roles import clean_role, led_delegation, role_from_text
from pipeline.extract.triggers import COUNTERPART_OFFICES
from pipeline.gazetteer import Gazetteer, Mention, Person, normalise_name
from pipeline.records import Camp, Participant, Side
from pipeline.transliteration import person_by_spelling

# A person named only as someone's relative: the someone is not a party.
RELATIVE_RE = re.compile(
    r"\s*['’]s\s+(?:eldest\s+|youngest\s+|second\s+)?(?:sons?|daughters?|brothers?|wife|nephew)\b"
)
KINSHIP_RE = re.compile(
    r"(?:(?:his|her|eldest|youngest|second)\s+)*(?:sons?|daughters?|brothers?|wife|nephew)", re.I
)
MEDIA_RE = re.compile(
    r"\b(?:newspaper|daily|agency|broadcaster|channel|television|tv|outlet|website|magazine"
    r"|radio|news|journalist|reporter|correspondent|columnist)\b",
    re.I,
)
# An office someone is given ("elected as head of the council"): it names that person,
# not whoever held it before.
NEW_OFFICE_RE = re.compile(
    r"\b(?:elected|appointed|named|chosen|sworn\s+in|nominated|designated|became|succeeds?"
    r"|succeeded|replaces?|replaced)\s+(?:as\s+)?(?:the\s+)?(?:new\s+)?$",
    re.I,
)
RELATIVE_OF_RE = re.compile(
    r"\b(?:sons?|daughters?|brothers?|wife|nephew)\s+of\s+(?:[\w'’-]+\s+){0,4}$", re.I
)
SON_OF_RE = re.compile(r",?\s+(?:the\s+)?(?:eldest\s+|youngest\s+|second\s+)?son\s+of\b", re.I)
SIDE_CUT_RE = re.compile(r"\s(?:to|in|at|for|on|with)\s.*$", re.I)
# Titles written before a name ("Major General X"): part of the role, not of the name.
TITLE_WORDS = {
    "major", "general", "brigadier", "lieutenant", "colonel", "admiral", "rear", "vice",
    "field", "marshal", "ambassador", "minister", "deputy", "director", "president", "prime",
    "chief", "commander", "dr", "mr", "mrs", "ms", "sheikh", "gen", "maj", "lt", "col",
    "adm", "brig", "captain", "capt", "consul", "foreign", "defence", "defense",
}  # fmt: skip


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
    armed_force: bool = False  # an unnamed military party ("a Turkish frigate")

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
    # People the article has already placed on a side, by each word of their name: a later
    # bare "Al-Haddad" or "Gurak" is the same person (news names in full, then by surname).
    known_actors: dict[str, Actor] = field(default_factory=dict)
    # The day the sentence being read tells of (else publication): a title alone ("the
    # Turkish foreign minister") names whoever held the office on the contact's day.
    sentence_day: dt.date | None = None

    @property
    def day(self) -> dt.date | None:
        return self.sentence_day or self.published

    def remember(self, actors: list[Actor]) -> None:
        for actor in actors:
            for word in _surname_keys(actor.name):
                self.known_actors.setdefault(word, actor)

    def recall(self, name: str) -> Actor | None:
        keys = _surname_keys(name)
        if len(normalise_name(name).split()) > 2 or not keys:
            return None  # a longer name that the article never gave is someone else
        found = {
            id(self.known_actors[k]): self.known_actors[k] for k in keys if k in self.known_actors
        }
        return next(iter(found.values())) if len(found) == 1 else None


_NAME_PARTICLES = {"al", "el", "bin", "ibn", "abu", "abdul", "abd", "de", "mohamed", "mohammed",
                   "muhammad", "muhammed", "mohammad", "ahmed", "ali", "abdel"}  # fmt: skip


def _surname_keys(name: str) -> list[str]:
    # "Mohammed Ali Ahmed al-Haddad" -> ["haddad"]: the last word that is not a particle or a
    # common first name, which a later mention uses on its own.
    words = [w for w in normalise_name(name).split() if w not in _NAME_PARTICLES and len(w) > 2]
    return words[-1:] if words else []


# ------------------------------------------------------------------ actors
def find_actors(sent: Span, mentions: list[Mention], ctx: ArticleContext) -> list[Actor]:
    actors: list[Actor] = []
    covered: list[tuple[int, int]] = []
    for mention in mentions:
        if mention.kind in ("person", "surname", "role"):
            covered.append((mention.start, mention.end))
            if RELATIVE_OF_RE.search(sent.doc.text[max(0, mention.start - 60) : mention.start]):
                continue  # "Haftar, son of eastern commander Khalifa Haftar": not the father
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
    for span in _person_spans(sent):
        if any(s < span.end_char and span.start_char < e for s, e in covered):
            continue
        actor = _ner_actor(span, ctx)
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
            phrase = f"{demonym} {office}"
            for hit in ctx.gaz.find_mentions(phrase):
                if hit.kind == "role" and hit.start == 0 and hit.end == len(phrase):
                    mention = Mention("role", match.start(), match.end(), phrase, hit.key)
                    actor = _gazetteer_actor(sent, mention, [mention], ctx)
                    if actor is not None:
                        found.append(actor)
    return found


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
    for actor in actors:
        if actor.side in (side, "other") or not actor.from_gazetteer:
            continue
        held = (actor.role or "").lower()
        for pattern, office in COUNTERPART_OFFICES.items():
            if not re.search(pattern, held):
                continue
            phrase = f"{match.group(1)} {office}"
            hits = [m for m in ctx.gaz.find_mentions(phrase) if m.kind == "role"]
            if hits and hits[0].end == len(phrase):
                mention = Mention("role", match.start(), match.end(), phrase, hits[0].key)
                found = _gazetteer_actor(sent, mention, [mention], ctx)
                return [found] if found is not None else []
    return []


def _person_spans(sent: Span) -> list[Span]:
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
    before, after = nearby_text(doc.text, mention, mentions)
    article_ids, father = set(ctx.named_person_ids), None
    son_of = SON_OF_RE.match(doc.text, mention.end) if mention.kind == "surname" else None
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
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    role, role_span = role_from_text(span) if span is not None else (None, None)
    if mention.kind == "role":
        role, role_span = clean_role(mention.text), (mention.start, mention.end)
    if role and KINSHIP_RE.fullmatch(role):
        role = None  # "Haftar's son Saddam Haftar": a relation, not an office
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


def camp_of(person: Person) -> Camp | None:
    if person.side == "libya" and person.camp in ("tripoli", "east"):
        return person.camp  # type: ignore[return-value]
    return None


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


def _ner_actor(ent: Span, ctx: ArticleContext) -> Actor | None:
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
