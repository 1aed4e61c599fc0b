"""Dates in Arabic news: "اليوم الثلاثاء" (today, Tuesday), "أمس" (yesterday), "6 يوليو 2021".

Matched on the gazetteer's folded text (hamza forms of alef folded to a bare alef), so
"الأربعاء" and "الاربعاء" are one word; Arabic-Indic digits are read as digits. The
resolution against the publication date is the one English and Turkish dates get.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path

import yaml

from pipeline.dates import (
    WEEKDAYS,
    YEAR_PATTERN,
    DateMention,
    DateOrigin,
    pick_year,
    resolve_mentions,
    weekday_date,
)
from pipeline.gazetteer import normalise

AR_WEEKDAYS: dict[str, int] = {
    "الاثنين": 0, "الثلاثاء": 1, "الاربعاء": 2, "الخميس": 3, "الجمعة": 4, "السبت": 5,
    "الاحد": 6,
}  # fmt: skip
AR_MONTHS: dict[str, int] = {
    "يناير": 1, "فبراير": 2, "مارس": 3, "ابريل": 4, "مايو": 5, "يونيو": 6, "يوليو": 7,
    "اغسطس": 8, "سبتمبر": 9, "اكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
    # The Levantine names, used across the Arab press.
    "كانون الثاني": 1, "شباط": 2, "اذار": 3, "نيسان": 4, "ايار": 5, "حزيران": 6, "تموز": 7,
    "اب": 8, "ايلول": 9, "تشرين الاول": 10, "تشرين الثاني": 11, "كانون الاول": 12,
}  # fmt: skip
# Days written as ordinal words ("الثالث من تموز", the third of July), 1st to 31st; the
# "و" of "الحادي والعشرين" is left out here (it may be written apart before matching).
_UNITS = ["الاول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن",
          "التاسع"]  # fmt: skip
AR_ORDINAL_DAYS: dict[str, int] = {
    **{word: n for n, word in enumerate(_UNITS, start=1)},
    "العاشر": 10, "الحادي عشر": 11, "الثاني عشر": 12, "الثالث عشر": 13, "الرابع عشر": 14,
    "الخامس عشر": 15, "السادس عشر": 16, "السابع عشر": 17, "الثامن عشر": 18,
    "التاسع عشر": 19, "العشرين": 20, "الحادي العشرين": 21, "الثلاثين": 30,
    "الحادي الثلاثين": 31,
    **{f"{word} العشرين": 20 + n for n, word in enumerate(_UNITS, start=1) if n > 1},
}  # fmt: skip
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
_CLITIC = r"(?:[وفب]?)"  # "والثلاثاء", "بالأمس"
_MONTH = "|".join(sorted(AR_MONTHS, key=len, reverse=True))
_WEEKDAY = "|".join(AR_WEEKDAYS)
_ORDINAL = "|".join(
    r"\s+و?\s*".join(key.split()) for key in sorted(AR_ORDINAL_DAYS, key=len, reverse=True)
)
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "6 يوليو 2021", "11 من يناير" (the day "of" the month)
    (
        "dmy",
        re.compile(
            rf"(?<!\d)(?P<day>\d{{1,2}})\s+(?:من\s+)?(?P<month>{_MONTH})(?!\w)(?:\s+{YEAR_PATTERN})?"
        ),
    ),
    # "في الثالث من تموز/يوليو": an ordinal day, "of", a month (the second name after a
    # slash is the same month, and stays unread).
    (
        "ordinal",
        re.compile(
            rf"(?<!\w)(?P<day>{_ORDINAL})\s+(?:من\s+)?(?:شهر\s+)?(?P<month>{_MONTH})(?!\w)"
            rf"(?:\s*/\s*\S+)?(?:\s+(?:عام\s+)?{YEAR_PATTERN})?"
        ),
    ),
    ("numeric", re.compile(rf"(?<!\d)(?P<day>\d{{1,2}})[/.-](?P<m>\d{{1,2}})[/.-]{YEAR_PATTERN}")),
    (
        "weekday",
        re.compile(
            # "اليوم الثلاثاء" (today, Tuesday): a story filed after midnight keeps the
            # day its source wrote, so the weekday decides.
            rf"(?<!\w){_CLITIC}(?:(?:اليوم|يوم)\s+)?(?P<weekday>{_WEEKDAY})"
            r"(?P<mod>\s+(?:الماضي|المقبل|القادم))?(?!\w)"
        ),
    ),
    ("yesterday", re.compile(rf"(?<!\w){_CLITIC}(?:ال)?امس(?!\w)")),
    ("today", re.compile(rf"(?<!\w){_CLITIC}(?:اليوم|صباح اليوم|مساء اليوم|هذا الصباح)(?!\w)")),
    ("tomorrow", re.compile(rf"(?<!\w){_CLITIC}غدا(?!\w)")),
    ("year", re.compile(rf"(?<!\d)(?:عام|العام|سنة)\s+{YEAR_PATTERN}")),
    ("vague", re.compile(r"(?:الاسبوع|الشهر|العام)\s+(?:الماضي|المقبل)|مؤخرا|في وقت سابق")),
)


_DATA = Path(__file__).parent / "data" / "arabic.yaml"
_ASIDE_WINDOW = 80  # characters before a date searched for the holiday it may be the day of


@cache
def _asides() -> dict[str, re.Pattern[str]]:
    """The cues of days a sentence gives that are not its contact's (data/arabic.yaml)."""
    with _DATA.open(encoding="utf-8") as handle:
        raw: dict[str, str] = yaml.safe_load(handle)["date_asides"]
    return {name: re.compile(pattern.replace("{month}", _MONTH)) for name, pattern in raw.items()}


def find_arabic_date_mentions(
    text: str, published: dt.date, *, future: bool = False
) -> list[DateMention]:
    """Like :func:`pipeline.dates.find_date_mentions`, for Arabic text.

    A day that is not the contact's is left out: a holiday's, named in a greeting ("بيوم
    الاستقلال الذي يوافق 24 ديسمبر"), one's taking office ("الذي عين امس"), and the day
    a statement was made about a contact it names only as a noun ("قال الاربعاء ان
    زيارته …"). A day counted from an undated event
    ("بعد يوم من رسو السفينة") and a month without a day are vague: no day of their own.
    The day a report was made is left out when what it reports has a day of its own.
    """
    folded = normalise(text).translate(_DIGITS)
    asides = _asides()
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for name in ("relative_to_event", "month_only"):
        for m in asides[name].finditer(folded):
            taken.append((m.start(), m.end()))
            found.append(DateMention(text[m.start() : m.end()], m.start(), m.end(), None, "vague"))
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(folded):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            before = folded[max(0, m.start() - _ASIDE_WINDOW) : m.start()]
            if (
                asides["anniversary"].search(before)
                or asides["appointment"].search(before)
                or asides["said_of_contact"].match(folded, m.end())
            ):
                continue
            found.append(_mention(kind, m, text, published, future))
    found.sort(key=lambda d: d.start)
    return _without_report_day(folded, found, asides)


def _without_report_day(
    folded: str, found: list[DateMention], asides: dict[str, re.Pattern[str]]
) -> list[DateMention]:
    """The days between a verb of saying and its "that" left out when what was said gives
    a day of its own: "نقلت … اليوم الاثنين … ان الوزير اجرى الاتصال امس الاحد"."""
    verb = asides["reported_by"].search(folded)
    if verb is None:
        return found
    that = asides["that"].search(folded, verb.end())
    if that is None:
        return found
    report = [d for d in found if verb.end() <= d.start < that.start()]
    said = [d for d in found if d.start >= that.end() and d.precision == "day"]
    return [d for d in found if d not in report] if report and said else found


def _mention(
    kind: str, m: re.Match[str], text: str, published: dt.date, future: bool
) -> DateMention:
    g = m.groupdict()
    span = (text[m.start() : m.end()], m.start(), m.end())
    year = int(g["year"]) if g.get("year") else None
    if kind in ("dmy", "numeric", "ordinal"):
        month = int(g["m"]) if kind == "numeric" else AR_MONTHS[" ".join(g["month"].split())]
        number = _ordinal(g["day"]) if kind == "ordinal" else g["day"]
        if year is not None:
            try:
                return DateMention(*span, dt.date(year, month, int(number)), "day", year, month)
            except ValueError:
                return DateMention(*span, None, "vague")
        day = pick_year(month, int(number), published, future)
        return DateMention(*span, day, "day", day.year if day else None, month)
    if kind == "weekday":
        modifier = (g.get("mod") or "").strip()
        mod = "last" if modifier == "الماضي" else "next" if modifier else None
        name = WEEKDAYS[AR_WEEKDAYS[g["weekday"]]]
        return DateMention(*span, weekday_date(name, mod, published, future), "day")
    if kind in ("yesterday", "today", "tomorrow"):
        offset = {"yesterday": -1, "today": 0, "tomorrow": 1}[kind]
        return DateMention(*span, published + dt.timedelta(days=offset), "day")
    if kind == "year":
        return DateMention(*span, None, "year", year)
    return DateMention(*span, None, "vague")


def _ordinal(words: str) -> int:
    """ "الحادي والعشرين" → 21."""
    spaced = words.replace("وال", " ال")
    return AR_ORDINAL_DAYS[" ".join(spaced.split())]


def resolve_arabic_event_date(
    text: str, published: dt.date, *, future: bool = False
) -> tuple[dt.date | None, DateOrigin]:
    """:func:`pipeline.dates.resolve_event_date` for Arabic text."""
    return resolve_mentions(
        find_arabic_date_mentions(text, published, future=future), published, future
    )
