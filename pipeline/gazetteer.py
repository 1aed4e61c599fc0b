"""The gazetteer: who and where matters, loaded once from ``data/gazetteer.yaml``.

Matching runs on a *length-preserving* normalisation of the text (casefold, diacritics
stripped, Turkish dotless ı folded, hyphens and curly quotes unified). Because every
character maps to exactly one character, a match's offsets are valid in the original
text too, so the same matches serve the cheap relevance filter (no spaCy) and the
extractor (mapped onto spaCy tokens with ``doc.char_span``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

from pipeline.folding import normalise, normalise_name
from pipeline.records import Side

GAZETTEER_PATH = Path(__file__).parent / "data" / "gazetteer.yaml"

MentionKind = Literal["person", "surname", "role", "institution", "place"]


def _is_acronym(alias: str) -> bool:
    # "MIT", "US", "UN", "GNU", "HoR": matched case-sensitively so that "us" or "mit"
    # in running text are not taken for institutions.
    letters = [c for c in alias if c.isalpha()]
    return len(letters) <= 5 and sum(c.isupper() for c in letters) >= 2


def _as_date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


@dataclass(frozen=True)
class Role:
    title: str
    start: dt.date | None = None
    end: dt.date | None = None

    def holds_on(self, day: dt.date | None) -> bool:
        """Whether the role was held on ``day`` (an unknown day accepts every role)."""
        if day is None:
            return True
        if self.start and day < self.start:
            return False
        return not (self.end and day >= self.end)


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    side: Side
    camp: str | None
    roles: tuple[Role, ...]
    aliases: tuple[str, ...]
    surnames: tuple[str, ...]
    role_cues: tuple[str, ...]
    is_default: bool

    def role_on(self, day: dt.date | None) -> str | None:
        """The title held on ``day``; the latest role when the day is unknown."""
        held = [r for r in self.roles if r.holds_on(day)]
        if day is None:
            held = [r for r in self.roles if r.end is None] or list(self.roles)
        return held[-1].title if held else None


@dataclass(frozen=True)
class RolePhrase:
    person_id: str
    role: Role


@dataclass(frozen=True)
class Institution:
    name: str
    side: Side
    military: bool = False  # an armed force: a contact it is a party to is military


@dataclass(frozen=True)
class Place:
    name: str
    country: str
    is_country: bool


@dataclass(frozen=True)
class Mention:
    """One gazetteer hit in a text; ``start``/``end`` are offsets in the original text."""

    kind: MentionKind
    start: int
    end: int
    text: str
    key: str  # normalised alias that matched


@dataclass
class Gazetteer:
    people: dict[str, Person]
    institutions: dict[str, list[Institution]]
    places: dict[str, Place]
    country_sides: dict[str, Side]
    # normalised alias -> payloads
    person_aliases: dict[str, str] = field(default_factory=dict)
    surname_aliases: dict[str, list[str]] = field(default_factory=dict)
    role_phrases: dict[str, list[RolePhrase]] = field(default_factory=dict)
    institution_aliases: dict[str, Institution] = field(default_factory=dict)
    place_aliases: dict[str, Place] = field(default_factory=dict)
    _folded_re: re.Pattern[str] | None = None
    _cased_re: re.Pattern[str] | None = None
    _cased_keys: dict[str, str] = field(default_factory=dict)

    @property
    def institution_names(self) -> set[str]:
        return {inst.name for insts in self.institutions.values() for inst in insts}

    # ------------------------------------------------------------------ matching
    def find_mentions(self, text: str) -> list[Mention]:
        """All gazetteer mentions in ``text``, longest first, without overlaps."""
        found: list[Mention] = []
        assert self._folded_re is not None and self._cased_re is not None
        for match in self._folded_re.finditer(normalise(text)):
            found.extend(self._mentions_for(match.group(0), match.start(), match.end(), text))
        for match in self._cased_re.finditer(normalise(text, keep_case=True)):
            key = self._cased_keys[" ".join(match.group(0).split())]
            found.extend(self._mentions_for(key, match.start(), match.end(), text))
        return _drop_overlaps(found)

    def _mentions_for(self, key: str, start: int, end: int, text: str) -> list[Mention]:
        key = " ".join(key.split())
        kinds: list[MentionKind] = []
        if key in self.person_aliases:
            kinds.append("person")
        elif key in self.surname_aliases:
            kinds.append("surname")
        elif key in self.role_phrases:
            kinds.append("role")
        if key in self.institution_aliases:
            kinds.append("institution")
        if key in self.place_aliases:
            kinds.append("place")
        return [Mention(kind, start, end, text[start:end], key) for kind in kinds]

    # ------------------------------------------------------------------ resolution
    def side_of_mention(self, mention: Mention) -> Side | None:
        if mention.kind == "person":
            return self.people[self.person_aliases[mention.key]].side
        if mention.kind == "surname":
            return self.people[self.surname_aliases[mention.key][0]].side
        if mention.kind == "role":
            return self.people[self.role_phrases[mention.key][0].person_id].side
        if mention.kind == "institution":
            return self.institution_aliases[mention.key].side
        place = self.place_aliases[mention.key]
        return self.country_sides.get(place.country, "other")

    def resolve_role_phrase(self, key: str, day: dt.date | None) -> Person | None:
        """The one person holding the office named by ``key`` on ``day``, else None."""
        holders = {rp.person_id for rp in self.role_phrases.get(key, []) if rp.role.holds_on(day)}
        if day is None:
            # Without a date only a phrase that ever named one person is unambiguous.
            holders = {rp.person_id for rp in self.role_phrases.get(key, [])}
        return self.people[holders.pop()] if len(holders) == 1 else None

    def resolve_surname(
        self,
        key: str,
        *,
        nearby: str = "",
        before: str = "",
        article_person_ids: Iterable[str] = (),
        day: dt.date | None = None,
    ) -> Person | None:
        """Resolve a shared surname ("Haftar") to one person.

        Order of evidence: a role cue in the words next to the mention ("Haftar, the
        deputy commander"; ``before``/``nearby`` are the texts just before and after the
        mention), then a single candidate named in full elsewhere in the
        article, then the candidate marked ``default`` in the gazetteer.
        """
        candidates = [self.people[pid] for pid in self.surname_aliases.get(key, [])]
        if not candidates:
            return None
        if len(candidates) == 1:
            return candidates[0]
        by_cue = _pick_by_role_cue(candidates, before, nearby)
        if by_cue is not None:
            return by_cue
        named = set(article_person_ids)
        in_article = [p for p in candidates if p.id in named]
        if len(in_article) == 1:
            return in_article[0]
        defaults = [p for p in candidates if p.is_default]
        return defaults[0] if defaults else None

    def person_for_mention(
        self,
        mention: Mention,
        *,
        nearby: str = "",
        before: str = "",
        article_person_ids: Iterable[str] = (),
        day: dt.date | None = None,
    ) -> Person | None:
        if mention.kind == "person":
            return self.people[self.person_aliases[mention.key]]
        if mention.kind == "surname":
            return self.resolve_surname(
                mention.key,
                nearby=nearby,
                before=before,
                article_person_ids=article_person_ids,
                day=day,
            )
        if mention.kind == "role":
            return self.resolve_role_phrase(mention.key, day)
        return None

    def place_for_mention(self, mention: Mention) -> Place | None:
        return self.place_aliases.get(mention.key) if mention.kind == "place" else None


def _pick_by_role_cue(candidates: list[Person], before: str, after: str) -> Person | None:
    # The cue closest to the name wins ("Haftar, the deputy commander of the Libyan
    # National Army": "deputy commander" comes before the father's longer cue
    # "commander of the Libyan National Army"); ties go to the longer cue.
    before_norm, after_norm = normalise(before), normalise(after)
    best: tuple[int, int, Person] | None = None
    for person in candidates:
        for cue in person.role_cues:
            pattern = re.compile(rf"(?<!\w){re.escape(normalise_name(cue))}(?!\w)")
            distances = [m.start() for m in pattern.finditer(after_norm)]
            distances += [len(before_norm) - m.end() for m in pattern.finditer(before_norm)]
            if not distances:
                continue
            rank = (min(distances), -len(cue))
            if best is None or rank < (best[0], best[1]):
                best = (rank[0], rank[1], person)
    return best[2] if best else None


def _drop_overlaps(mentions: list[Mention]) -> list[Mention]:
    # Longest span wins; a span may carry several kinds (Libya: institution + place).
    ordered = sorted(mentions, key=lambda m: (-(m.end - m.start), m.start))
    kept: list[Mention] = []
    for m in ordered:
        clash = [k for k in kept if k.start < m.end and m.start < k.end]
        if not clash or all(k.start == m.start and k.end == m.end for k in clash):
            kept.append(m)
    return sorted(kept, key=lambda m: (m.start, m.kind))


# ---------------------------------------------------------------------- loading
def _expand(
    phrase: str, templates: dict[str, list[str]], templates_of: dict[str, list[str]] | None = None
) -> list[str]:
    out = [phrase]
    for name, values in templates.items():
        token = "{" + name + "}"
        out = [p.replace(token, v) for p in out for v in values] if token in phrase else out
    for name, states in (templates_of or {}).items():
        token = "{" + name + "} "
        if phrase.startswith(token):  # "{LY} defence minister": "defence minister of Libya"
            out += [f"{phrase[len(token) :]} of {state}" for state in states]
    return out


def _alias_pattern(aliases: Iterable[str]) -> re.Pattern[str]:
    # One alternation of thousands of names makes the regex engine try each at every
    # position; the same names as a prefix tree share their beginnings ("Abdul…").
    forms = sorted({" ".join(alias.split()) for alias in aliases})
    return re.compile(r"(?<![\w'])(?:" + _prefix_tree_pattern(forms) + r")(?!\w)")


def _prefix_tree_pattern(forms: Iterable[str]) -> str:
    """A regex matching exactly ``forms`` (a space matching any run of spaces)."""
    tree: dict[str, Any] = {}
    for form in forms:
        node = tree
        for char in form:
            node = node.setdefault(char, {})
        node[""] = {}  # the end of a form

    def emit(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [
            (r"\s+" if char == " " else re.escape(char)) + emit(node[char])
            for char in sorted(k for k in node if k)
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and not ends else "(?:" + "|".join(branches) + ")"
        return body + ("?" if ends else "")

    return emit(tree)


def alias_key(alias: str) -> str:
    """How the gazetteer keys an alias (folded, spaces collapsed): look names up with it."""
    return " ".join(normalise(alias).split())


def _build(raw: dict[str, Any]) -> Gazetteer:
    templates: dict[str, list[str]] = raw.get("templates", {})
    templates_of: dict[str, list[str]] = raw.get("templates_of", {})
    gaz = Gazetteer(
        people={},
        institutions={},
        places={},
        country_sides=dict(raw.get("country_sides", {})),
    )
    folded: set[str] = set()
    cased: dict[str, str] = {}

    def register(alias: str) -> str:
        key = alias_key(alias)
        if _is_acronym(alias):
            cased[" ".join(normalise(alias, keep_case=True).split())] = key
        else:
            folded.add(key)
        return key

    for entry in raw.get("people", []):
        person = Person(
            id=entry["id"],
            name=entry["name"],
            side=entry["side"],
            camp=entry.get("camp"),
            roles=tuple(
                Role(r["title"], _as_date(r.get("from")), _as_date(r.get("to")))
                for r in entry.get("roles", [])
            ),
            aliases=tuple(entry.get("aliases", [])),
            surnames=tuple(entry.get("surnames", [])),
            role_cues=tuple(entry.get("role_cues", [])),
            is_default=bool(entry.get("default", False)),
        )
        gaz.people[person.id] = person
        for alias in (*person.aliases, person.name):
            gaz.person_aliases[register(alias)] = person.id
        for surname in person.surnames:
            ids = gaz.surname_aliases.setdefault(register(surname), [])
            ids.append(person.id)
        for rp in entry.get("role_phrases", []):
            role = Role(rp["phrase"], _as_date(rp.get("from")), _as_date(rp.get("to")))
            for phrase in _expand(rp["phrase"], templates, templates_of):
                gaz.role_phrases.setdefault(register(phrase), []).append(
                    RolePhrase(person.id, role)
                )
    armed_forces = {e["name"] for e in raw.get("institutions", []) if e.get("military")}
    for entry in raw.get("institutions", []):
        inst = Institution(entry["name"], entry["side"], entry["name"] in armed_forces)
        for alias in entry.get("aliases", []):
            gaz.institution_aliases[register(alias)] = inst
        gaz.institutions.setdefault(inst.side, []).append(inst)
    for entry in raw.get("places", []):
        place = Place(entry["name"], entry["country"], entry.get("kind") == "country")
        gaz.places[place.name] = place
        for alias in entry.get("aliases", []):
            gaz.place_aliases[register(alias)] = place

    # A full alias always beats a shared surname with the same spelling.
    for key in list(gaz.surname_aliases):
        if key in gaz.person_aliases:
            del gaz.surname_aliases[key]
    gaz._folded_re = _alias_pattern(folded)
    gaz._cased_re = _alias_pattern(cased)
    gaz._cased_keys = cased
    return gaz


@cache
def load_gazetteer(path: Path = GAZETTEER_PATH) -> Gazetteer:
    """Parse the YAML once per process."""
    with path.open(encoding="utf-8") as handle:
        return _build(yaml.safe_load(handle))
