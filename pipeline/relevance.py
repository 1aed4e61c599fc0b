"""A cheap pre-filter: does a page concern both Türkiye and Libya?

It runs on every crawled page, so it uses only the gazetteer's regular expressions (no
spaCy). A page passes when each side has enough weighted anchors (people count more than
demonyms), at least one anchor is an official (person, office, institution: not just a
country name), sport/culture vocabulary does not dominate, *and* the two sides meet
somewhere: in the title or within one paragraph-sized window of the body. The bar rises
with the length of the text so that a long article on something else with a passing
"Libya" does not pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.gazetteer import Gazetteer, Mention, load_gazetteer
from pipeline.transliteration import person_by_spelling

# Weight of one anchor per kind: a named official says more than the word "Turkish".
KIND_WEIGHTS: dict[str, float] = {
    "person": 3.0,
    "surname": 2.0,
    "role": 2.0,
    "institution": 1.0,
    "place": 1.0,
}
TITLE_FACTOR = 2.0  # a title anchor is worth two in the body
MIN_SIDE_SCORE = 3.0
# A side named through one of its officials (a known person, an office, a ministry, or a
# demonym + office: "Libyan Interior Minister X") needs less: short wire items often name
# each side exactly once ("Erdogan received Dbeibah in Istanbul on Saturday.").
MIN_OFFICIAL_SIDE_SCORE = 2.0
OFFICIAL_INSTITUTION_WEIGHT = 2.0
# Offices written right after a demonym or a country's possessive: "Turkish Interior
# Minister", "Libya's oil minister", "Libyan army chief of staff", "his Libyan
# counterpart" (the office of the other party, unnamed). People the gazetteer
# does not know are still officials of a side.
OFFICE_AFTER_DEMONYM_RE = re.compile(
    r"^\s+(?:[A-Za-z]+\s+){0,2}(?:minister|ministry|ambassador|envoy|president|presidency"
    r"|commander|chief|speaker|delegation|army|navy|officials?|general|admiral|consul"
    r"|government|parliament|intelligence|premier|prime\s+minister|counterparts?)\b"
    # Turkish offices after the country ("Libya Dışişleri Bakanlığı Müsteşarı", "Libya
    # Ulaştırma Bakanı", "Libyalı mevkidaşı"), any suffix
    r"|^\s+(?:\w+\s+){0,3}(?:bakan|büyükelçi|başkan|komutan|müsteşar|heyet|sözcü|elçi"
    r"|konsolos|hükümet|genelkurmay|mevkidaş|temsilci|yetkili|asker|ordu|donanma)\w*",
    re.I,
)
WORDS_PER_POINT = 250  # long texts need proportionally more anchors per side
CO_OCCURRENCE_WINDOW = 600  # characters: roughly one news paragraph
# Sport, culture and tourism stories name both countries without any official contact.
OFF_TOPIC_RE = re.compile(
    r"\b(?:football|soccer|friendly|match|goal|goals|coach|squad|half-time|halftime|league"
    r"|fixture|qualifier|qualifying|tournament|basketball|volleyball|striker|midfielder"
    r"|spectators|stadium|concert|festival|film|tourists?)\b",
    re.I,
)
MAX_OFF_TOPIC_HITS = 3


@dataclass(frozen=True)
class Anchor:
    side: str
    weight: float
    start: int
    official: bool  # a person, office or institution, not just a country or a city


def _anchors(gaz: Gazetteer, text: str, factor: float = 1.0) -> list[Anchor]:
    by_span: dict[tuple[int, int], Anchor] = {}
    for mention in gaz.find_mentions(text):
        side = gaz.side_of_mention(mention)
        if side not in ("turkiye", "libya"):
            continue
        official = _is_official(gaz, mention)
        weight = KIND_WEIGHTS[mention.kind]
        if mention.kind == "institution" and official:
            weight = OFFICIAL_INSTITUTION_WEIGHT
        elif mention.kind == "institution" and OFFICE_AFTER_DEMONYM_RE.match(text[mention.end :]):
            official, weight = True, KIND_WEIGHTS["role"]
        anchor = Anchor(side, weight * factor, mention.start, official)
        span = (mention.start, mention.end)
        # One span can be both an institution and a place ("Libya"): count it once.
        if span not in by_span or by_span[span].weight < anchor.weight:
            by_span[span] = anchor
    return list(by_span.values())


def _is_official(gaz: Gazetteer, mention: Mention) -> bool:
    if mention.kind in ("person", "surname", "role"):
        return True
    if mention.kind == "institution":
        # Country names and demonyms ("Turkish", "Libya") are not institutions; an office
        # the gazetteer lists under its country ("Libya Deniz Kuvvetleri Komutanı") is.
        if gaz.institution_aliases[mention.key].name not in gaz.country_sides:
            return True
        return " " in mention.text and bool(
            OFFICE_AFTER_DEMONYM_RE.match(" " + mention.text.split(" ", 1)[1])
        )
    return False


def _sides_meet(anchors: list[Anchor]) -> bool:
    turk = sorted(a.start for a in anchors if a.side == "turkiye")
    libya = sorted(a.start for a in anchors if a.side == "libya")
    return any(abs(t - ly) <= CO_OCCURRENCE_WINDOW for t in turk for ly in libya)


def side_scores(text: str, title: str | None = None) -> dict[str, float]:
    """Weighted anchor totals per side, title anchors counted double."""
    gaz = load_gazetteer()
    return _totals(_anchors(gaz, text) + (_anchors(gaz, title, TITLE_FACTOR) if title else []))


def _totals(anchors: list[Anchor]) -> dict[str, float]:
    scores = {"turkiye": 0.0, "libya": 0.0}
    for anchor in anchors:
        scores[anchor.side] += anchor.weight
    return scores


def is_relevant(text: str, title: str | None = None) -> bool:
    """True when the page is about Türkiye *and* Libya, not just mentioning one."""
    gaz = load_gazetteer()
    body = _anchors(gaz, text)
    head = _anchors(gaz, title, TITLE_FACTOR) if title else []
    scores = _totals(body + head)
    scale = len(text.split()) / WORDS_PER_POINT
    if min(scores.values()) < max(MIN_SIDE_SCORE, scale) and max(scores.values()) > 0:
        # Only where a side falls short: a listed person in a spelling the gazetteer lacks
        # ("Abdurrahman Süveyhli'yi"), by the transliteration family (slower than aliases).
        body += _spelled_anchors(gaz, text, {a.start for a in body})
        scores = _totals(body + head)
    for side in ("turkiye", "libya"):
        has_official = any(a.official and a.side == side for a in body + head)
        floor = MIN_OFFICIAL_SIDE_SCORE if has_official else MIN_SIDE_SCORE
        if scores[side] < max(floor, scale):
            return False
    officials = sum(1 for a in body + head if a.official)
    if officials == 0:
        return False  # "Türkiye and Libya" with no official of either: sport, culture
    if len(OFF_TOPIC_RE.findall(text)) >= max(MAX_OFF_TOPIC_HITS, officials):
        return False
    title_has_both = {a.side for a in head} == {"turkiye", "libya"}
    return title_has_both or _sides_meet(body)


# Two or three capitalised words, Turkish letters included, before an apostrophe suffix.
_NAME_RUN = re.compile(
    r"\b[A-ZÇĞİÖŞÜ][\w-]{2,}(?:\s+(?:(?:[ae][lsşntdrz]|ad|ar|as|at)-)?[A-ZÇĞİÖŞÜ][\w-]{2,}){1,2}\b"
)  # "Muhammed el-Menfy": the article before the surname


def _spelled_anchors(gaz: Gazetteer, text: str, taken: set[int]) -> list[Anchor]:
    found = []
    for match in _NAME_RUN.finditer(text):
        if match.start() in taken:
            continue
        person = person_by_spelling(gaz, re.sub(r"['’]\w*$", "", match.group(0)))
        if person is not None and person.side in ("turkiye", "libya"):
            found.append(Anchor(person.side, KIND_WEIGHTS["person"], match.start(), True))
    return found
