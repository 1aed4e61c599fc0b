"""Turkish: listed people named without an office — a surname the story gave in full
("Saddam"), and a son named by his father ("Hafter'in oğlu Belkasım" is Belgassem Haftar,
not whoever else a lone "Belkasım" might spell)."""

from __future__ import annotations

import datetime as dt
import re

from pipeline.extract.actors import Actor, camp_of
from pipeline.gazetteer import Gazetteer, Person, normalise_name
from pipeline.transliteration import person_by_spelling

# "Hafter'in oğlu Belkasım", "Hafter’in oğlu Korgeneral Saddam": the family name before,
# the given name after (a rank may stand between).
KIN_RE = re.compile(
    r"(?P<family>[A-ZÇĞİÖŞÜ][\w-]+)['’]n?[ıiuü]n\s+(?:oğlu|oğulları|kızı|kardeşi)\s+"
    r"(?:(?:Korgeneral|Tümgeneral|Tuğgeneral|Orgeneral|Albay|Tuğamiral)\s+)?"
    r"(?P<given>[A-ZÇĞİÖŞÜ][a-zçğıöşüâîû]+)"
)


def kin_named(sentence: str, gaz: Gazetteer, day: dt.date | None) -> list[Actor]:
    """ "Halife Hafter'in oğlu Belkasım'ı kabul etti": the son, by his given name and his
    father's family name, when the gazetteer lists that person."""
    actors = []
    for match in KIN_RE.finditer(sentence):
        listed = person_by_spelling(gaz, f"{match.group('given')} {match.group('family')}")
        if listed is not None:
            actors.append(listed_actor(listed, match.start("given"), match.end("given"), day))
    return actors


_WORD = re.compile(r"(?<!\w)[A-ZÇĞİÖŞÜ][a-zçğıöşüâîû]{3,}(?=['’\s,.;:]|$)")


def recalled_people(
    sentence: str, gaz: Gazetteer, named: set[str], day: dt.date | None, titles: frozenset[str]
) -> list[Actor]:
    """A person the article named in full, later called by one word of that name ("Saddam").

    Only a word that belongs to exactly one person named so far: two Muhammeds make
    "Muhammed" no one.
    """
    owners: dict[str, set[str]] = {}
    for person_id in named:
        person = gaz.people[person_id]
        for alias in (person.name, *person.aliases):
            for word in normalise_name(alias).split():
                if word not in titles:
                    owners.setdefault(word, set()).add(person_id)
    actors: list[Actor] = []
    for match in _WORD.finditer(sentence):
        ids = owners.get(normalise_name(match.group(0)), set())
        if len(ids) == 1:
            person = gaz.people[next(iter(ids))]
            actors.append(listed_actor(person, match.start(), match.end(), day))
    return actors


def listed_actor(person: Person, start: int, end: int, day: dt.date | None) -> Actor:
    return Actor(
        name=person.name,
        side=person.side,
        role=person.role_on(day),
        start=start,
        end=end,
        camp=camp_of(person),
    )
