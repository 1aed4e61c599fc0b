"""The records the English rules share: an actor found in a sentence, and what the article
has told so far (its people, its names in full, its day)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pipeline.gazetteer import Gazetteer, Person, normalise_name
from pipeline.records import Camp, Side
from pipeline.transliteration import skeleton, vowel_frame


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
    # The day the story told last, in any paragraph: what "later that day" and "a day
    # later" count from.
    last_told_day: dt.date | None = None

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
    if not words:
        return []
    # And its spelling family: the story that wrote "Fayez Al-Sirraj" (the gazetteer's
    # al-Sarraj) then writes "Al-Sirraj" alone.
    family = skeleton(words[-1])
    return [words[-1], f"~{family}:{vowel_frame(words[-1])}"] if len(family) >= 3 else words[-1:]


def camp_of(person: Person) -> Camp | None:
    """A Libyan official's camp (Tripoli or the east); no one else is told apart."""
    if person.side == "libya" and person.camp in ("tripoli", "east"):
        return person.camp  # type: ignore[return-value]
    return None
