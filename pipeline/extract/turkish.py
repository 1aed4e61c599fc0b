"""Turkish: gazetteer-anchored rules over folded text (data/turkish.yaml)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from pipeline.dates import find_turkish_date_mentions, resolve_turkish_event_date
from pipeline.extract.actors import (
    Actor,
    both_sides,
    camp_of,
    nearby_text,
    participant,
    unique_actors,
)
from pipeline.extract.assembly import Candidate, finish
from pipeline.extract.text import is_body_paragraph, split_sentences
from pipeline.extract.timing import StoryDay, mentions_history
from pipeline.gazetteer import Gazetteer, Mention, load_gazetteer, normalise
from pipeline.records import EventStatus, EventType, ExtractedEvent, Side

DATA_DIR = Path(__file__).parent.parent / "data"


# ------------------------------------------------------------------ Turkish
# spaCy has no Turkish model here, so Turkish articles get gazetteer-anchored rules:
# a sentence counts when a Turkish trigger phrase (data/turkish.yaml) and known actors
# of both sides appear in it. Names carry case suffixes after an apostrophe
# ("Hafter'le", "Bingazi'de"): gazetteer matching stops at the apostrophe, and the
# suffix tells a place of meeting ('de/'da) from other uses of a city name.
@dataclass(frozen=True)
class TurkishRules:
    triggers: tuple[tuple[re.Pattern[str], EventType, EventStatus], ...]
    not_news: re.Pattern[str]
    place_suffix: re.Pattern[str]
    recent_past: re.Pattern[str]
    titled_person: re.Pattern[str]


@cache
def turkish_rules() -> TurkishRules:
    with (DATA_DIR / "turkish.yaml").open(encoding="utf-8") as handle:
        raw: dict[str, Any] = yaml.safe_load(handle)
    triggers = tuple(
        (re.compile(rf"(?<!\w)(?:{t['pattern']})(?!\w)"), t["type"], t["status"])
        for t in raw["triggers"]
    )
    suffixes = sorted({normalise(s) for s in raw["place_suffixes"]}, key=len, reverse=True)
    return TurkishRules(
        triggers=triggers,
        not_news=re.compile("|".join(raw["not_news"])),
        place_suffix=re.compile(r"^['’](?:" + "|".join(suffixes) + r")(?!\w)"),
        recent_past=re.compile("|".join(raw["recent_past"])),
        titled_person=_titled_person_pattern(raw["titles"]),
    )


_CAPITALISED = r"[A-ZÇĞİÖŞÜ][a-zçğıöşüâîû]+(?:-[A-Za-zçğıöşü]+)?"
# Arabic names keep their article in lower case: "eş-Şahubi", "el-Menfi", "et-Trablusi".
_NAME_WORD = rf"(?:{_CAPITALISED}|(?:e[lsştdrnz]|a[lsdr])-[A-ZÇĞİÖŞÜ][a-zçğıöşüâîû]+)"


def _titled_person_pattern(titles: dict[str, list[str]]) -> re.Pattern[str]:
    # "[Libya] [Kara Kuvvetleri] Komutanı [Korgeneral] Ad Soyad['ın]": up to four
    # capitalised words of office before the head noun, a rank, then two to four name words.
    heads = "|".join(sorted(titles["heads"], key=len, reverse=True))
    ranks = "|".join(sorted(titles["ranks"], key=len, reverse=True))
    return re.compile(
        rf"(?P<title>(?:{_CAPITALISED}\s+){{0,4}}(?:{heads}))\s+(?:(?:{ranks})\s+)?"
        rf"(?P<name>{_CAPITALISED}(?:\s+{_NAME_WORD}){{1,3}})(?=['’\s,.;:]|$)"
    )


def extract_turkish_events(
    text: str, *, published: dt.date | None, title: str | None = None
) -> list[ExtractedEvent]:
    """Contacts between known actors in a Turkish-language article."""
    rules = turkish_rules()
    gaz = load_gazetteer()
    paragraphs = [p.strip() for p in text.splitlines() if p.strip()]
    body = [p for p in paragraphs if is_body_paragraph(p)]
    named = {
        gaz.person_aliases[m.key] for m in gaz.find_mentions(title or "") if m.kind == "person"
    }
    title_place = _turkish_place(gaz, title or "", gaz.find_mentions(title or ""), rules)
    candidates: list[Candidate] = []
    numbered = [(n, s) for n, paragraph in enumerate(body) for s in split_sentences(paragraph)]
    found = [gaz.find_mentions(sentence) for _, sentence in numbered]
    story_day = StoryDay()
    for index, (paragraph, sentence) in enumerate(numbered, start=1):
        mentions = found[index - 1]
        day_before = story_day.day_for(paragraph)
        if published is not None:
            told, origin = resolve_turkish_event_date(sentence, published)
            if origin == "text" and told is not None:
                story_day.tell(paragraph, told)
        # The parties a sentence leaves out ("… ile görüştü" after a sentence naming the
        # visitor) are those of its paragraph's previous sentence, else its next one.
        neighbours = [
            (s, found[i])
            for i in (index - 2, index)
            if 0 <= i < len(numbered) and numbered[i][0] == paragraph
            for s in (numbered[i][1],)
        ]
        candidate = _turkish_event(
            sentence, mentions, gaz, rules, named, published, index, neighbours, day_before
        )
        if candidate is not None:
            if candidate.event.type != "call" and candidate.event.location is None:
                city, country = title_place
                candidate.event.location, candidate.event.country = city or country, country
            candidates.append(candidate)
        named |= {gaz.person_aliases[m.key] for m in mentions if m.kind == "person"}
    return finish(candidates)


def _turkish_event(
    sentence: str,
    mentions: list[Mention],
    gaz: Gazetteer,
    rules: TurkishRules,
    named: set[str],
    published: dt.date | None,
    index: int,
    neighbours: list[tuple[str, list[Mention]]] = (),  # type: ignore[assignment]
    story_day: dt.date | None = None,
) -> Candidate | None:
    folded = normalise(sentence)
    if sentence.rstrip().endswith("?"):
        return None
    hit = next(
        (
            (m, kind, status)
            for pattern, kind, status in rules.triggers
            if (m := pattern.search(folded))
        ),
        None,
    )
    if hit is None:
        return None
    _, event_type, status = hit
    # A denial names the claim it denies ("… iddiasını yalanladı"): that is the news.
    if status != "denied" and rules.not_news.search(folded):
        return None
    actors = _turkish_actors(sentence, mentions, gaz, named, published)
    sides = {a.side for a in actors}
    if len(sides & {"turkiye", "libya"}) == 1 and "other" not in sides:
        missing = "libya" if "turkiye" in sides else "turkiye"
        for text, found in neighbours:
            extra = [
                a for a in _turkish_actors(text, found, gaz, named, published) if a.side == missing
            ]
            if extra:
                actors = [*actors, *extra]
                break
    if not both_sides(actors):
        return None
    day: dt.date | None = None
    source: str | None = None
    if published is not None:
        if _turkish_dates_history(sentence, published):
            return None
        day, origin = resolve_turkish_event_date(sentence, published, future=status == "planned")
        source = None if origin == "vague" or day is None else origin
        day = day if source else None
        if source == "published" and rules.recent_past.search(folded):
            day, source = None, None  # "-mişti": before the day of writing, day not given
        elif source == "published" and story_day is not None and status == "occurred":
            day, source = story_day, "text"  # the day the story last gave
    city, country = (None, None)
    if event_type != "call":
        city, country = _turkish_place(gaz, sentence, mentions, rules)
    event = ExtractedEvent(
        type=event_type,
        status=status,
        date=day,
        date_source=source,  # type: ignore[arg-type]
        location=city or country,
        country=country,
        participants=[participant(a) for a in actors],
        evidence=sentence.strip(),
        confidence=0.8 if (city or event_type == "call") else 0.75,
    )
    return Candidate(event, index, {a.key for a in actors})


def _turkish_actors(
    sentence: str,
    mentions: list[Mention],
    gaz: Gazetteer,
    named: set[str],
    published: dt.date | None,
) -> list[Actor]:
    actors: list[Actor] = []
    for i, mention in enumerate(mentions):
        if mention.kind not in ("person", "surname", "role"):
            continue
        if mention.kind == "role" and not _turkish_role_stands_alone(sentence, mentions, i, gaz):
            continue
        before, after = nearby_text(sentence, mention, mentions)
        person = gaz.person_for_mention(
            mention, nearby=after, before=before, article_person_ids=named, day=published
        )
        if person is None:
            continue
        actors.append(
            Actor(
                name=person.name,
                side=person.side,
                role=person.role_on(published),
                start=mention.start,
                end=mention.end,
                via_role_only=mention.kind == "role",
                camp=camp_of(person),
            )
        )
    taken = [(m.start, m.end) for m in mentions if m.kind in ("person", "surname")]
    actors += [
        actor
        for actor in _titled_people(sentence, gaz)
        if not any(s < actor.end and actor.start < e for s, e in taken)
    ]
    return unique_actors(actors)


def _titled_people(sentence: str, gaz: Gazetteer) -> list[Actor]:
    """People the gazetteer lacks, named after their office: "Libya İçişleri Bakanı X Y".

    Turkish news writes a foreign official's office after the country ("Libya Dışişleri
    Bakanı", "Mısır Genelkurmay Başkanı") and a Turkish official's without one ("Ticaret
    Bakanı Ömer Bolat"): the country word before the office gives the side.
    """
    rules = turkish_rules()
    actors: list[Actor] = []
    for match in rules.titled_person.finditer(sentence):
        title, name = match.group("title"), match.group("name")
        side: Side = "turkiye"
        for mention in gaz.find_mentions(title):
            side = gaz.side_of_mention(mention) or side
            break
        actors.append(
            Actor(
                name=name,
                side=side,
                role=" ".join(title.split()),
                start=match.start("name"),
                end=match.end("name"),
                from_gazetteer=False,
            )
        )
    return actors


def _turkish_role_stands_alone(
    sentence: str, mentions: list[Mention], i: int, gaz: Gazetteer
) -> bool:
    # "Cumhurbaşkanı Erdoğan": the name that follows is the actor. "Mısır Cumhurbaşkanı
    # Sisi": another country's office. "Cumhurbaşkanı Abdulfettah ...": an unknown name.
    mention = mentions[i]
    following = sentence[mention.end : mention.end + 40].lstrip()
    if following[:1].isupper():
        return False
    previous = [m for m in mentions[:i] if m.end <= mention.start]
    if previous and mention.start - previous[-1].end <= 2:
        side = gaz.side_of_mention(previous[-1])
        role_side = gaz.side_of_mention(mention)
        if side is not None and side != role_side:
            return False
    return True


def _turkish_place(
    gaz: Gazetteer, sentence: str, mentions: list[Mention], rules: TurkishRules
) -> tuple[str | None, str | None]:
    """The city (and country) a case suffix marks as the place: "Bingazi'de", "Trablus'a"."""
    folded = normalise(sentence)
    country: str | None = None
    for mention in mentions:
        place = gaz.place_for_mention(mention)
        if place is None or not rules.place_suffix.match(folded[mention.end :]):
            continue
        if place.is_country:
            country = country or place.country
            continue
        return place.name, place.country
    return None, country


def _turkish_dates_history(sentence: str, published: dt.date) -> bool:
    return mentions_history(find_turkish_date_mentions(sentence, published), published)
