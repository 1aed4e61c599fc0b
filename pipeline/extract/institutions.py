"""Institutions as parties: a side no person speaks for ("a Turkish frigate … the Libyan
Navy", "held talks with a GNU delegation", "Türkiye and Libya signed …")."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from functools import cache
from itertools import pairwise
from typing import Any

import yaml

from pipeline.extract.actors import Actor
from pipeline.extract.lexicon import (
    ARMED_FORCE_GROUP_NOUNS,
    ARMED_FORCE_MODIFIERS,
    ARMED_FORCE_NOUNS,
    NAVAL_WORDS,
)
from pipeline.extract.plover import DATA_DIR
from pipeline.folding import normalise_name
from pipeline.gazetteer import Gazetteer, Mention
from pipeline.records import Side


def institution_actors(
    mentions: list[Mention],
    actors: list[Actor],
    gaz: Gazetteer,
    *,
    armed_forces_only: bool = False,
    arguments: Sequence[tuple[int, int]] = (),
    countries_as_governments: bool = False,
    countries_as_forces: bool = False,
) -> list[Actor]:
    """Institutions for a side no person speaks for: "a Turkish frigate … the Libyan Navy".

    Annotators name an institution only where no person of that side is named, and so does
    this; a country alone ("Turkish") is not an institution. With ``armed_forces_only``,
    other institutions count only inside ``arguments`` (the contact's subject, object or
    partner: "held talks with a GNU delegation"); with ``countries_as_governments`` a
    country there is its government ("Türkiye and Libya on Monday signed …"); with
    ``countries_as_forces`` Türkiye there is its armed forces ("Turkey is training the
    Libyan coast guard": a state trains, deploys and delivers through its military).
    """
    have = {a.side for a in actors}
    countries = {place.name for place in gaz.places.values() if place.is_country}
    found: list[Actor] = []
    listed = [m for m in [*mentions, *_coordinated(mentions, gaz)] if m.kind == "institution"]
    # A country stands for its state only where no institution of its side is named
    # ("Turkish and Libyan naval forces" are the two navies, not "Turkish" as a state).
    listed.sort(key=lambda m: gaz.institution_aliases[m.key].name in countries)
    for mention in listed:
        institution = gaz.institution_aliases[mention.key]
        if institution.side in have or institution.side not in ("turkiye", "libya"):
            continue
        argument = any(s <= mention.start < e for s, e in arguments)
        name = institution.name
        if name in countries:
            if countries_as_forces and argument and institution.side == "turkiye":
                name = _FORCE_NAMES["turkiye", False]
            elif countries_as_governments and argument:
                name = f"Government of {name}"
            else:
                continue
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


# ------------------------------------------------------------------ armed forces by shape
_DEMONYM = r"(Turkish|Libyan|Turkey's|Türkiye's|Turkiye's|Libya's)"
_WORDS = "|".join(
    sorted(
        ARMED_FORCE_NOUNS | ARMED_FORCE_GROUP_NOUNS | ARMED_FORCE_MODIFIERS, key=len, reverse=True
    )
)
ARMED_FORCE_RE = re.compile(rf"\b{_DEMONYM}(?:\s+and\s+{_DEMONYM})?((?i:\s+(?:{_WORDS}))+)\b")
# The gazetteer's own name for each side's armed force and navy (military: true).
_FORCE_NAMES = {
    ("turkiye", False): "Turkish Armed Forces",
    ("turkiye", True): "Turkish Navy",
    ("libya", False): "Libyan military officials",
    ("libya", True): "Libyan Navy",
}


def armed_force_mentions(text: str, mentions: list[Mention]) -> list[Mention]:
    """ "Turkish special forces", "Turkish and Libyan coast guard units": an armed force of
    each side named, as a gazetteer mention of its country's army or navy. Only where no
    gazetteer mention covers the words already ("Turkish Navy" is the gazetteer's)."""
    found = []
    for match in ARMED_FORCE_RE.finditer(text):
        words = match.group(3).lower().split()
        # The phrase ends at its last noun: "Turkish military" alone is an armed force too.
        while words and words[-1] not in ARMED_FORCE_NOUNS | ARMED_FORCE_GROUP_NOUNS:
            words.pop()
        if not words or (
            words[-1] in ARMED_FORCE_GROUP_NOUNS and not set(words[:-1]) & ARMED_FORCE_MODIFIERS
        ):
            continue
        end = match.start(3) + _end_of(match.group(3), len(words))
        naval = bool(set(words) & NAVAL_WORDS)
        for group in (1, 2):
            demonym, at = match.group(group), match.start(group)
            if demonym is None or any(
                m.kind == "institution" and m.start == at and m.end - m.start > len(demonym)
                for m in mentions
            ):
                continue  # the gazetteer names it ("Turkish Navy", "Libyan special forces")
            side = "libya" if demonym.startswith("Liby") else "turkiye"
            key = normalise_name(_FORCE_NAMES[side, naval])
            found.append(Mention("institution", at, end, text[at:end], key))
    return found


def _end_of(tail: str, count: int) -> int:
    """The offset in ``tail`` after its ``count``-th word."""
    spans = list(re.finditer(r"\S+", tail))
    return spans[count - 1].end()


# ------------------------------------------------------------------ a visit's host
_HOSTS_PATH = DATA_DIR / "host_governments.yaml"


@cache
def _hosts_data() -> dict[str, Any]:
    return yaml.safe_load(_HOSTS_PATH.read_text(encoding="utf-8"))


@cache
def _host_governments() -> dict[str, list[tuple[dt.date, str]]]:
    return {
        side: sorted((entry["from"], entry["name"]) for entry in entries)
        for side, entries in _hosts_data().items()
        if side in ("turkiye", "libya")
    }


def visit_host(
    actors: Sequence[Actor],
    gaz: Gazetteer,
    place: tuple[str | None, str | None],
    day: dt.date | None,
    sentence: str,
    named_host: Actor | None = None,
) -> Actor | None:
    """Whom a visit is to when the story names no one of the host side: a visit of one
    side's people to the other's country (``place``: city, country) is to the Libyan body
    the story names (``named_host``), else to that side's government of the day. None for
    a warship's port call (its host is a navy), in a city outside Tripoli's writ, on a
    trip made for a forum or summit the country only hosts, or to the visitor's own troops."""
    sides = {a.side for a in actors} & {"turkiye", "libya"}
    if len(sides) != 1 or any(a.armed_force for a in actors):
        return None
    missing: Side = "libya" if sides == {"turkiye"} else "turkiye"
    city, country = place
    if country is None or gaz.country_sides.get(country) != missing:
        return None
    if missing == "libya" and named_host is not None:
        return named_host
    rules = _hosts_data()["no_default_host"]
    own_forces = rules["own_forces"].get(next(iter(sides)))
    if (
        city in rules["cities"]
        or re.search(rules["purposes"], sentence, re.I)
        or (own_forces and re.search(own_forces, sentence, re.I))
    ):
        return None
    return _host_government(missing, day)


def is_host_government(name: str) -> bool:
    """Whether a party is a government the story never named, added as a visit's host: the
    next contact "the two ministers" had does not inherit it."""
    return any(name == n for governments in _host_governments().values() for _, n in governments)


def _host_government(side: Side, day: dt.date | None) -> Actor | None:
    """The government of ``side`` on ``day`` (today's without a day), as the party of a
    visit no person of that side is named in."""
    name = government_of(side, day)
    return Actor(name, side, None, -1, -1) if name is not None else None


def government_of(side: str, day: dt.date | None) -> str | None:
    """The name annotators give the government of ``side`` on ``day`` (today's without a
    day): "Government of National Accord" in 2019, "Government of Türkiye"."""
    governments = _host_governments().get(side, [])
    held = [name for start, name in governments if day is None or start <= day]
    return held[-1] if held else None


def government_side(name: str) -> str | None:
    """The side whose government ``name`` is, by any period's name or the generic one
    ("Government of Libya"); None for anything else."""
    generic = _hosts_data()["generic"]
    for side, governments in _host_governments().items():
        if name == generic.get(side) or any(name == n for _, n in governments):
            return side
    return None
