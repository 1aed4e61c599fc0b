"""The parties of a contact that names none of one side, for the anchored languages.

A signing "between the two countries" is the governments'; one told right after talks is
that of the people who held them; a military delegation no person speaks for is named by
its demonym; "his Libyan counterpart" is whoever held the same office there that day. A
bare surname two people named share is the one named last. Also the listed people a
sentence names, and the place a language marks as the contact's.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from pipeline.extract.actors import (
    Actor,
    camp_of,
    counterpart_offices,
    nearby_text,
    unique_actors,
)
from pipeline.extract.institutions import institution_actors
from pipeline.gazetteer import alias_key

if TYPE_CHECKING:
    from pipeline.extract.anchored import AnchoredRules
    from pipeline.gazetteer import Gazetteer, Mention
    from pipeline.records import EventType


def signatories(folded: str, rules: AnchoredRules, last: list[Actor]) -> list[Actor]:
    """The parties to a signing that names none: the two states, else the talks just told.

    "İki ülke arasında mutabakat muhtırası imzalandı" is the governments' deed; "Bu
    görüşmelerin sonucunda protokol imzalandı" is signed by those who held the talks (a
    signing during a meeting is an event of its own with the meeting's parties).
    """
    if rules.cue("state_signing").search(folded):
        names: dict[str, str] = rules.raw.get("unnamed_parties", {}).get("government", {})
        return [Actor(name, side, None, 0, 0) for side, name in names.items()]  # type: ignore[arg-type]
    # Only a signing told as done ("imzalandı", "imzalandığını aktardı"), not an agreement
    # named by its past ("imzalanan anlaşma"), which is background.
    return list(last) if rules.cue("signed").search(folded) else []


def counterpart_state(folded: str, rules: AnchoredRules, actors: list[Actor]) -> list[Actor]:
    """A state signing with a named official ("Dibeybe, Türkiye ile … imzaladı"): its government."""
    have = {a.side for a in actors}
    parties = rules.raw.get("unnamed_parties", {})
    names: dict[str, str] = parties.get("government", {})
    cues: dict[str, str] = parties.get("counterpart_state", {})
    return [
        Actor(names[side], side, None, 0, 0)  # type: ignore[arg-type]
        for side, cue in cues.items()
        if side not in have and side in names and re.search(cue, folded)
    ]


def unnamed_delegation(folded: str, rules: AnchoredRules, actors: list[Actor]) -> list[Actor]:
    """The military delegation of a side no person speaks for ("Türk askeri heyetiyle").

    Its side is the one its demonym gives ("Libya askeri heyeti"); a delegation without
    one is the side missing beside a named party, never both ("iki ülkenin heyetleri"
    names no one).
    """
    have = {a.side for a in actors}
    parties = rules.raw.get("unnamed_parties", {})
    names: dict[str, str] = parties.get("military_delegation", {})
    marked = {s for s, cue in parties.get("delegation_of", {}).items() if re.search(cue, folded)}
    # Unmarked, it is the side missing beside a named person: an institution nearby (the
    # ship the delegation came on) does not say whose delegation it is.
    sides = marked or ({s for s in names if s not in have} if have else set())
    return [
        Actor(names[side], side, None, 0, 0)  # type: ignore[arg-type]
        for side in sorted(sides)
        if side not in have and side in names
    ]


def partner_bodies(
    folded: str, mentions: list[Mention], actors: list[Actor], gaz: Gazetteer, rules: AnchoredRules
) -> list[Actor]:
    """A body met as such, for the side no person speaks for: "… heyet, Trablus merkezli
    Ulusal Birlik Hükümeti ile görüştü". Only a body the language marks as the partner
    (``partner`` cue right after its name), not one named in passing."""
    cue = rules.cue("partner")
    spans = [
        (m.start, m.end) for m in mentions if m.kind == "institution" and cue.match(folded, m.end)
    ]
    found = institution_actors(mentions, actors, gaz, armed_forces_only=True, arguments=spans)
    return [a for a in found if any(s <= a.start < e for s, e in spans)]


def host_body(found: list[list[Mention]], gaz: Gazetteer, rules: AnchoredRules) -> Actor | None:
    """The first Libyan body of those the language's data lists as hosts (`visit_hosts`:
    governments and councils, not an army or a company) that the story names: whom a
    visit to Libya with no Libyan named is to ("حكومة الوفاق", "المجلس الوطني الانتقالي")."""
    hosts = set(rules.raw.get("visit_hosts") or [])
    for mentions in found:
        for mention in mentions:
            if mention.kind != "institution":
                continue
            body = gaz.institution_aliases[mention.key]
            if body.name in hosts and body.side == "libya":
                return Actor(body.name, "libya", None, 0, 0)
    return None


def unnamed_offices(
    folded: str, rules: AnchoredRules, actors: list[Actor]
) -> tuple[list[Actor], EventType | None]:
    """An office held by someone the story does not name, for a side no person speaks for
    ("Libya'daki Türk askeri ataşesi"): named as annotators name it (`unnamed_parties:
    offices`, each a name and a cue per side), and the kind of talks held with it."""
    have = {a.side for a in actors}
    found: list[Actor] = []
    kind: EventType | None = None
    for office in rules.raw.get("unnamed_parties", {}).get("offices", []):
        for side, cue in office["of"].items():
            if side not in have and re.search(cue, folded):
                found.append(Actor(office["names"][side], side, None, 0, 0))
                have.add(side)
                kind = office.get("type") or kind
    return found, kind


_PEOPLE = ("person", "surname", "role")


def names_delegation(
    mentions: list[Mention], delegation: tuple[str, list[Mention]] | None, gaz: Gazetteer
) -> bool:
    """Whether a sentence naming a delegation and people lists its members, to stand for
    it from now on. One naming only the other side ("Türkiye heyeti Libya Başbakanı X ile
    görüşecek") tells whom the delegation listed before meets, not who is in it."""
    sides = {gaz.side_of_mention(m) for m in mentions if m.kind in _PEOPLE}
    if not sides or delegation is None:
        return bool(sides)
    before = {gaz.side_of_mention(m) for m in delegation[1] if m.kind in _PEOPLE}
    return bool(sides & before)


def latest_namesakes(named: set[str], recency: list[str], gaz: Gazetteer) -> set[str]:
    """The people named so far, of namesakes only the one named last.

    "Halife Hafter'i … Orgeneral Saddam Hafter … Hafter Fidan ile görüştü": a bare
    surname two named people share is the one the story named most recently.
    """
    last = {person_id: i for i, person_id in enumerate(recency)}
    dropped: set[str] = set()
    for ids in gaz.surname_aliases.values():
        present = [i for i in ids if i in named]
        if len(present) > 1:
            latest = max(present, key=lambda i: last.get(i, -1))
            dropped |= {i for i in present if i != latest}
    return named - dropped


def gazetteer_actors(
    sentence: str,
    mentions: list[Mention],
    gaz: Gazetteer,
    named: set[str],
    day: dt.date | None,
    *,
    role_stands_alone: Callable[[str, list[Mention], int, Gazetteer], bool] | None = None,
) -> list[Actor]:
    """The listed people a sentence names, by name, surname or office held on ``day``.

    ``role_stands_alone`` tells whether an office is the actor itself or only the title of
    the name that follows it ("Cumhurbaşkanı Erdoğan").
    """
    actors: list[Actor] = []
    for i, mention in enumerate(mentions):
        if mention.kind not in ("person", "surname", "role"):
            continue
        if (
            mention.kind == "role"
            and role_stands_alone
            and not role_stands_alone(sentence, mentions, i, gaz)
        ):
            continue
        before, after = nearby_text(sentence, mention, mentions)
        person = gaz.person_for_mention(
            mention, nearby=after, before=before, article_person_ids=named, day=day
        )
        if person is None:
            continue
        actors.append(
            Actor(
                name=person.name,
                side=person.side,
                role=person.role_on(day),
                start=mention.start,
                end=mention.end,
                via_role_only=mention.kind == "role",
                camp=camp_of(person),
            )
        )
    return unique_actors(actors)


def marked_place(
    gaz: Gazetteer, mentions: list[Mention], is_marked: Callable[[Mention], bool]
) -> tuple[str | None, str | None]:
    """The first city the language marks as the place of the contact, else its country.

    ``is_marked`` says how the language marks it: a case ending in Turkish ("Bingazi'de"),
    a preposition in Arabic ("في طرابلس").
    """
    country: str | None = None
    for mention in mentions:
        place = gaz.place_for_mention(mention)
        if place is None or not is_marked(mention):
            continue
        if place.is_country:
            country = country or place.country
            continue
        return place.name, place.country
    return None, country


def unnamed_counterpart(
    folded: str, actors: list[Actor], gaz: Gazetteer, rules: AnchoredRules, day: dt.date | None
) -> list[Actor]:
    """ "Fidan, Libyalı mevkidaşı ile görüştü": whoever held the named party's office on the
    other side that day (the ``counterpart`` cue's group ``side`` is the demonym)."""
    match = rules.cue("counterpart").search(folded)
    if match is None:
        return []
    side = "libya" if match.group("side").startswith("liby") else "turkiye"
    if any(a.side == side for a in actors):
        return []  # "Libyalı mevkidaşı Muhammed el-Huveyc": named
    demonym = "Libyan" if side == "libya" else "Turkish"
    for office in counterpart_offices(actors, side):
        holder = gaz.resolve_role_phrase(alias_key(f"{demonym} {office}"), day)
        if holder is not None:
            at = (match.start(), match.end())
            return [Actor(holder.name, side, holder.role_on(day), *at, camp=holder.camp)]
    return []


def visits_someone(sentence: str, rules: AnchoredRules, mentions: list[Mention]) -> bool:
    """ "… Ahmet Bolat'ı ziyaret etti": the visit is to the one named, not to a country (a
    place named so, "Trablus'u ziyaret etti", is a trip); no government hosts it."""
    match = rules.cue("visited_party").search(sentence)
    return match is not None and not any(
        m.kind == "place" and m.start <= match.start("party") < m.end for m in mentions
    )
