"""Arabic: people a sentence names by office alone (data/arabic.yaml, `offices_alone`).

Arabic news names an official in full once, then by office: "السفير التركي" (the Turkish
ambassador) with no post, "نظيره التركي" (his Turkish counterpart), "الرئيس الضيف" (the
guest president). The gazetteer resolves an office only with its full phrase; here an
office alone becomes the one person it can be: the ambassador in post on the day (the
gazetteer's phrase for the post in Libya), or the one person of that side the story has
named before whose title fits.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Any

from pipeline.extract.context import Actor, camp_of
from pipeline.gazetteer import Gazetteer, Mention, Person, normalise

_SIDE_WORDS = {"turkiye": "turkiye", "libya": "libya"}
_NAME_REACH = 8  # characters from an office to a name it is only the title of
_PLACE_REACH = 12  # characters from an office to the place of its post ("في القاهرة")


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def office_actors(
    sentence: str,
    mentions: list[Mention],
    actors: list[Actor],
    gaz: Gazetteer,
    named: set[str],
    day: dt.date | None,
    offices: list[dict[str, Any]],
) -> list[Actor]:
    """Actors for the offices ``offices`` lists that the sentence names with no name
    after them, for a side no actor of the sentence is on yet."""
    folded = normalise(sentence)
    people = [m for m in mentions if m.kind in ("person", "surname", "role")]
    names = [m for m in people if m.kind != "role"]
    found: list[Actor] = []
    for office in offices:
        for match in _compiled(office["pattern"]).finditer(folded):
            if any(m.start < match.end() and match.start() < m.end for m in people):
                continue  # part of a phrase the gazetteer reads itself
            if any(0 <= m.start - match.end() <= _NAME_REACH for m in names):
                continue  # "السفير التركي كنعان يلماز": the title of the name after it
            if office.get("post") and _posted_elsewhere(match.end(), mentions, gaz, office):
                continue  # "السفير التركي في القاهرة": an ambassador elsewhere
            side = _side_of(match, office, [*actors, *found])
            if side is None or (
                not office.get("post") and any(a.side == side for a in [*actors, *found])
            ):
                continue  # a counterpart or guest stands for the side no one else names
            person = _holder(office, side, actors, gaz, named, day)
            if person is not None and all(a.name != person.name for a in [*actors, *found]):
                found.append(
                    Actor(
                        name=person.name,
                        side=person.side,
                        role=person.role_on(day),
                        start=match.start(),
                        end=match.end(),
                        via_role_only=True,
                        camp=camp_of(person),
                    )
                )
    return found


def _side_of(match: re.Match[str], office: dict[str, Any], actors: list[Actor]) -> str | None:
    """The side the office is of: given by the data, by the demonym the pattern captured
    ("نظيره التركي"), else the one side the sentence's actors leave out ("الرئيس الضيف")."""
    if office.get("side"):
        return str(office["side"])
    groups = match.groupdict()
    for name, side in _SIDE_WORDS.items():
        if groups.get(name):
            return side
    missing = {"turkiye", "libya"} - {a.side for a in actors}
    return missing.pop() if len(missing) == 1 else None


def _holder(
    office: dict[str, Any],
    side: str,
    actors: list[Actor],
    gaz: Gazetteer,
    named: set[str],
    day: dt.date | None,
) -> Person | None:
    if office.get("post"):
        key = " ".join(normalise(office["post"]).split())
        return gaz.resolve_role_phrase(key, day)
    # One the story named before, on that side, whose title has the words the data asks
    # for (a president, a minister) or shares one with the counterpart's.
    before = [gaz.people[i] for i in sorted(named) if gaz.people[i].side == side]
    titles = office.get("titles")
    if titles:
        before = [p for p in before if _has_word(_titles(p, day), titles)]
    elif office.get("counterpart"):
        words = {w for a in actors for w in _title_words(a.role)}
        fitting = [p for p in before if words & _title_words(_titles(p, day))]
        before = fitting or before
    return before[0] if len(before) == 1 else None


def _posted_elsewhere(
    end: int, mentions: list[Mention], gaz: Gazetteer, office: dict[str, Any]
) -> bool:
    """A place named right after the office, in a country other than its post's."""
    for mention in mentions:
        if mention.kind == "place" and 0 <= mention.start - end <= _PLACE_REACH:
            place = gaz.place_for_mention(mention)
            if place is not None and place.country != office.get("country", "Libya"):
                return True
    return False


def _titles(person: Person, day: dt.date | None) -> str:
    """The title held on the day, else every title he is listed with (a day outside the
    gazetteer's dates)."""
    return person.role_on(day) or " ".join(r.title for r in person.roles)


_COMMON_TITLE_WORDS = {
    "of",
    "the",
    "and",
    "for",
    "minister",
    "affairs",
    "turkish",
    "libyan",
    "libya",
    "turkey",
    "türkiye",
    "government",
    "national",
    "unity",
    "accord",
    "deputy",
}


def _title_words(title: str | None) -> set[str]:
    words = set(re.findall(r"[a-zçğıöşü]+", (title or "").lower()))
    return words - _COMMON_TITLE_WORDS


def _has_word(title: str | None, words: list[str]) -> bool:
    found = _title_words(title) | set(re.findall(r"[a-z]+", (title or "").lower()))
    return any(w.lower() in found for w in words)
