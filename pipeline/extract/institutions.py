"""Institutions as parties: a side no person speaks for ("a Turkish frigate … the Libyan
Navy", "held talks with a GNU delegation", "Türkiye and Libya signed …")."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from pipeline.extract.actors import Actor
from pipeline.gazetteer import Gazetteer, Mention


def institution_actors(
    mentions: list[Mention],
    actors: list[Actor],
    gaz: Gazetteer,
    *,
    armed_forces_only: bool = False,
    arguments: Sequence[tuple[int, int]] = (),
    countries_as_governments: bool = False,
) -> list[Actor]:
    """Institutions for a side no person speaks for: "a Turkish frigate … the Libyan Navy".

    Annotators name an institution only where no person of that side is named, and so does
    this; a country alone ("Turkish") is not an institution. With ``armed_forces_only``,
    other institutions count only inside ``arguments`` (the contact's subject, object or
    partner: "held talks with a GNU delegation"); with ``countries_as_governments`` a
    country there is its government ("Türkiye and Libya on Monday signed …").
    """
    have = {a.side for a in actors}
    countries = {place.name for place in gaz.places.values() if place.is_country}
    found: list[Actor] = []
    for mention in [*mentions, *_coordinated(mentions, gaz)]:
        if mention.kind != "institution":
            continue
        institution = gaz.institution_aliases[mention.key]
        if institution.side in have or institution.side not in ("turkiye", "libya"):
            continue
        argument = any(s <= mention.start < e for s, e in arguments)
        name = institution.name
        if name in countries:
            if not (countries_as_governments and argument):
                continue
            name = f"Government of {name}"
        elif armed_forces_only and not (institution.military or argument):
            continue
        actor = Actor(name, institution.side, None, mention.start, mention.end)
        actor.armed_force = institution.military
        found.append(actor)
        have.add(institution.side)
    return found


def _coordinated(mentions: list[Mention], gaz: Gazetteer) -> list[Mention]:
    """ "Turkish and Libyan naval forces": the first adjective's own naval forces."""
    institutions = sorted((m for m in mentions if m.kind == "institution"), key=lambda m: m.start)
    found = []
    for first, second in pairwise(institutions):
        if second.start - first.end != len(" and ") or " " not in second.text:
            continue
        phrase = f"{first.text} {second.text.split(' ', 1)[1]}"
        whole = [
            m for m in gaz.find_mentions(phrase) if m.kind == "institution" and m.end == len(phrase)
        ]
        if whole:
            found.append(Mention("institution", first.start, first.end, phrase, whole[0].key))
    return found
