"""Event dates from news prose, anchored on the publication date.

News style dictates the rules (tested in tests/test_dates.py):

* "on Monday" in a story about something that happened means the most recent Monday on
  or before publication (a story published on a Monday about "Monday" means that day);
* "last Thursday" is the Thursday strictly before publication;
* for planned events ("will visit on Monday") the weekday is the next one on or after
  publication, "next Monday" strictly after;
* "last week", "earlier this week", "recently", a bare month or year do not give a day:
  the date is unknown (None), which is better than a wrong day in an alert;
* dates attached to the *reporting* ("the ministry said Monday") are not event dates;
* an occurred event is never dated after publication.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Literal

import dateparser

Precision = Literal["day", "month", "year", "vague"]
# "text": the text gave the day; "published": no date words, the publication date is
# used; "vague": the text dates the event but not to a day (or impossibly), date None.
DateOrigin = Literal["text", "published", "vague"]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip

# Month names must be capitalised in the text: "may" the modal verb is not May.
_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October"
    r"|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?"
)
DAY_PATTERN = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
YEAR_PATTERN = r"(?P<year>(?:19|20)\d{2})"
_WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iso", re.compile(rf"\b{YEAR_PATTERN}-(?P<m>\d{{2}})-(?P<d>\d{{2}})\b")),
    ("numeric", re.compile(rf"\b(?P<d>\d{{1,2}})[./](?P<m>\d{{1,2}})[./]{YEAR_PATTERN}\b")),
    ("dmy", re.compile(rf"\b{DAY_PATTERN}(?:\s+of)?\s+{_MONTH}(?:,?\s+{YEAR_PATTERN})?\b")),
    ("mdy", re.compile(rf"\b{_MONTH}\s+{DAY_PATTERN}(?:,?\s+{YEAR_PATTERN})?\b")),
    ("month", re.compile(rf"\b(?:(?:early|mid|late)[- ])?{_MONTH}(?:\s+{YEAR_PATTERN})?\b")),
    ("year", re.compile(rf"\b{YEAR_PATTERN}\b")),
    (
        "weekday",
        re.compile(rf"\b(?:(?P<mod>last|this|next|past|coming)\s+)?{_WEEKDAY}\b", re.I),
    ),
    ("yesterday", re.compile(r"\b(?:yesterday|last night)\b", re.I)),
    ("today", re.compile(r"\b(?:today|tonight|this (?:morning|afternoon|evening))\b", re.I)),
    ("tomorrow", re.compile(r"\btomorrow\b", re.I)),
    ("ago", re.compile(r"\b(?:a|one|two|three|four|five|six|\d{1,2})\s+days?\s+ago\b", re.I)),
    (
        "vague",
        re.compile(
            r"\b(?:(?:earlier|later)\s+(?:this|last|next)\s+(?:week|month|year)"
            r"|(?:last|this|next|past|coming)\s+(?:week|month|year|weekend)"
            r"|in\s+the\s+coming\s+(?:days|weeks|months)|recently|lately|soon"
            r"|(?:a|one|two|three|several|few)\s+(?:weeks?|months?|years?)\s+ago"
            # "on the second day of the defence fair": a day of an event the text does not date
            r"|(?:first|second|third|fourth|final|last|closing|opening)\s+day\s+of)\b",
            re.I,
        ),
    ),
)

# "the ministry said Monday", "told reporters on Tuesday": the day of the statement.
_ATTRIBUTION_BEFORE = re.compile(
    r"\b(?:said|says|announced|stated|reported|added|noted|confirmed|declared|wrote|posted"
    r"|tweeted|told\s+\w+(?:\s+\w+){0,3})\s+(?:on\s+|late\s+on\s+|early\s+on\s+)?$",
    re.I,
)
# "a day after the ship docked on Sunday" → Monday.
RELATIVE_DAY_RE = re.compile(r"\b(?:a|one|the)\s+day\s+(?P<dir>after|before)\b", re.I)


@dataclass(frozen=True)
class DateMention:
    text: str
    start: int
    end: int
    date: dt.date | None
    precision: Precision
    year: int | None = None
    month: int | None = None


def weekday_date(name: str, mod: str | None, published: dt.date, future: bool) -> dt.date:
    target = WEEKDAYS.index(name.lower())
    mod = (mod or "").lower()
    if mod in ("next", "coming") or (future and mod != "last"):
        ahead = (target - published.weekday()) % 7
        if mod in ("next", "coming") and ahead == 0:
            ahead = 7
        return published + dt.timedelta(days=ahead)
    back = (published.weekday() - target) % 7
    if mod in ("last", "past") and back == 0:
        back = 7  # "last Thursday" published on a Thursday: a week before
    return published - dt.timedelta(days=back)


def pick_year(month: int, day: int, published: dt.date, future: bool) -> dt.date | None:
    # A day and month without a year: the publication year, unless that lands on the
    # wrong side of publication (past for what happened, future for plans). Far on the
    # wrong side means the neighbouring year ("28 December" in a 3 January story); just
    # past publication means a mistake or a plan, and gives no date.
    candidate = safe_date(published.year, month, day)
    if candidate is None:
        return None
    wrong_side = candidate < published if future else candidate > published
    if not wrong_side:
        return candidate
    if abs((candidate - published).days) <= 60:
        return None
    return safe_date(published.year + (1 if future else -1), month, day)


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _parse_ago(phrase: str, published: dt.date) -> dt.date | None:
    # dateparser knows "two days ago" and its many variants; anchored on publication.
    base = dt.datetime.combine(published, dt.time(12, 0))
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}
    parsed = dateparser.parse(phrase, languages=["en"], settings=settings)  # type: ignore[arg-type]
    return parsed.date() if parsed else None


def mention_from_match(
    kind: str, m: re.Match[str], published: dt.date, future: bool
) -> DateMention:
    g = m.groupdict()
    text, start, end = m.group(0), m.start(), m.end()
    if kind in ("iso", "numeric"):
        day = safe_date(int(g["year"]), int(g["m"]), int(g["d"]))
        return DateMention(text, start, end, day, "day", int(g["year"]), int(g["m"]))
    if kind in ("dmy", "mdy"):
        month = MONTHS.get(g["month"].lower().rstrip("."), 0)
        if g.get("year"):
            day = safe_date(int(g["year"]), month, int(g["day"]))
            return DateMention(text, start, end, day, "day", int(g["year"]), month)
        day = pick_year(month, int(g["day"]), published, future)
        return DateMention(text, start, end, day, "day", day.year if day else None, month)
    if kind == "month":
        month = MONTHS.get(g["month"].lower().rstrip("."), 0)
        year = int(g["year"]) if g.get("year") else None
        return DateMention(text, start, end, None, "month", year, month)
    if kind == "year":
        return DateMention(text, start, end, None, "year", int(g["year"]))
    if kind == "weekday":
        day = weekday_date(g["weekday"], g.get("mod"), published, future)
        return DateMention(text, start, end, day, "day")
    if kind in ("yesterday", "today", "tomorrow"):
        offset = {"yesterday": -1, "today": 0, "tomorrow": 1}[kind]
        return DateMention(text, start, end, published + dt.timedelta(days=offset), "day")
    if kind == "ago":
        return DateMention(text, start, end, _parse_ago(text, published), "day")
    return DateMention(text, start, end, None, "vague")


def _is_month_name(text: str) -> bool:
    word = re.sub(r"^(?:early|mid|late)[- ]", "", text.strip()).split()[0].rstrip(".")
    return word.lower() in MONTHS


def find_date_mentions(
    text: str, published: dt.date, *, future: bool = False, attribution: bool = False
) -> list[DateMention]:
    """Every date expression in ``text``, resolved against ``published``.

    Expressions dating the *report* ("said Monday") are left out, or with ``attribution``
    are the only ones kept. Spans never overlap: the more specific pattern (listed first)
    wins.
    """
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            if kind == "month" and not _is_month_name(m.group(0)):
                continue
            taken.append((m.start(), m.end()))
            if bool(_ATTRIBUTION_BEFORE.search(text[max(0, m.start() - 60) : m.start()])) != (
                attribution
            ):
                continue
            found.append(mention_from_match(kind, m, published, future))
    found.sort(key=lambda d: d.start)
    return _apply_relative_days(text, found)


def _apply_relative_days(text: str, mentions: list[DateMention]) -> list[DateMention]:
    # "a day after <something> on Sunday": the event is the day after the anchor date.
    out: list[DateMention] = []
    for mention in mentions:
        rel = None
        for r in RELATIVE_DAY_RE.finditer(text[: mention.start]):
            between = text[r.end() : mention.start]
            if len(between) <= 80 and not re.search(r"[.;]", between):
                rel = r
        if rel is not None and mention.date is not None and mention.precision == "day":
            shift = 1 if rel.group("dir").lower() == "after" else -1
            mention = replace(mention, date=mention.date + dt.timedelta(days=shift))
        out.append(mention)
    return out


def resolve_event_date(
    sentence_or_date_phrase: str, published: dt.date, *, future: bool = False
) -> tuple[dt.date | None, DateOrigin]:
    """The event's day and where it came from.

    Returns ``(day, "text")`` when the text names a day, ``(published, "published")``
    when it has no date expression at all, and ``(None, "vague")`` when it dates the
    event only loosely ("last week", "in May") or to a day after publication for an
    event that already happened. Set ``future`` for planned events.
    """
    mentions = find_date_mentions(sentence_or_date_phrase, published, future=future)
    return resolve_mentions(mentions, published, future)


def resolve_mentions(
    mentions: list[DateMention], published: dt.date, future: bool
) -> tuple[dt.date | None, DateOrigin]:
    days = [m for m in mentions if m.precision == "day" and m.date is not None]
    if days:
        day = days[0].date
        assert day is not None
        if not future and day > published:
            return None, "vague"
        return day, "text"
    if mentions:
        return None, "vague"
    if future:
        return None, "vague"  # a plan with no date: publication day would be wrong
    return published, "published"
