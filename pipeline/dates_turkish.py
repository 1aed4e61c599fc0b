"""Event dates from Turkish news prose: "dün", "Pazartesi günü", "geçen Perşembe",
"25 Ağustos'ta", anchored on the publication date by the rules of :mod:`pipeline.dates`."""

from __future__ import annotations

import datetime as dt
import re

from pipeline.dates import (
    DAY_PATTERN,
    WEEKDAYS,
    YEAR_PATTERN,
    DateMention,
    DateOrigin,
    mention_from_match,
    pick_year,
    resolve_mentions,
    safe_date,
    weekday_date,
)

# Turkish news dates events the same ways: "dün" (yesterday), "Pazartesi günü",
# "geçen Perşembe", "25 Ağustos 2025", "25 Ağustos'ta". Weekday and month names are
# matched capitalised or not (Turkish style capitalises them, headlines may not), on the
# original text: the folded form would merge "Salı" (Tuesday) into unrelated words.
TR_WEEKDAYS: dict[str, int] = {
    "pazartesi": 0, "salı": 1, "çarşamba": 2, "perşembe": 3, "cuma": 4, "cumartesi": 5,
    "pazar": 6,
}  # fmt: skip
TR_MONTHS: dict[str, int] = {
    "ocak": 1, "şubat": 2, "mart": 3, "nisan": 4, "mayıs": 5, "haziran": 6, "temmuz": 7,
    "ağustos": 8, "eylül": 9, "ekim": 10, "kasım": 11, "aralık": 12,
}  # fmt: skip
_TR_MONTH = r"(?P<month>" + "|".join(TR_MONTHS) + r")"
_TR_WEEKDAY = r"(?P<weekday>" + "|".join(sorted(TR_WEEKDAYS, key=len, reverse=True)) + r")"
# A Turkish suffix after an apostrophe ("Ağustos'ta", "2020'de", "Cuma'yı").
_TR_SUFFIX = r"(?:['’]\w+)?"
_TR_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iso", re.compile(rf"\b{YEAR_PATTERN}-(?P<m>\d{{2}})-(?P<d>\d{{2}})\b")),
    ("numeric", re.compile(rf"\b(?P<d>\d{{1,2}})[./](?P<m>\d{{1,2}})[./]{YEAR_PATTERN}\b")),
    (
        "dmy",
        re.compile(
            rf"\b{DAY_PATTERN}\s+{_TR_MONTH}{_TR_SUFFIX}(?:\s+{YEAR_PATTERN}{_TR_SUFFIX})?(?!\w)",
            re.I,
        ),
    ),
    ("month", re.compile(rf"(?<!\w){_TR_MONTH}(?:\s+{YEAR_PATTERN})?{_TR_SUFFIX}(?!\w)", re.I)),
    ("year", re.compile(rf"\b{YEAR_PATTERN}(?:\s+yılında|['’]\w+)?(?!\w)")),
    (
        "weekday",
        re.compile(
            rf"(?<!\w)(?:(?P<mod>geçen|geçtiğimiz|önceki|bu|gelecek|önümüzdeki)\s+)?{_TR_WEEKDAY}"
            rf"(?:\s+günü|{_TR_SUFFIX})?(?!\w)",
            re.I,
        ),
    ),
    # "önceki gün" (the day before yesterday), "iki gün önce" (two days ago); before
    # "dün" so that "dünden bir gün önce" is not read as yesterday alone.
    (
        "days_ago",
        re.compile(
            r"(?<!\w)(?:(?:önceki|evvelki|evvelsi) gün|(?P<n>\d{1,2}|bir|iki|üç|dört|beş|altı"
            r"|yedi) gün önce)(?!\w)",
            re.I,
        ),
    ),
    ("yesterday", re.compile(r"(?<!\w)dün(?:kü)?(?!\w)", re.I)),
    ("today", re.compile(r"(?<!\w)(?:bugün(?:kü)?|bu sabah|bu akşam)(?!\w)", re.I)),
    ("tomorrow", re.compile(r"(?<!\w)yarın(?!\w)", re.I)),
    (
        "vague",
        re.compile(
            r"(?<!\w)(?:geçen|geçtiğimiz|bu|gelecek|önümüzdeki)\s+(?:hafta|ay|yıl)\w*(?!\w)"
            r"|(?<!\w)hafta ?sonu\w*(?!\w)"
            r"|(?<!\w)(?:yakında|son günlerde|geçtiğimiz günlerde)(?!\w)"
            # "geçtiğimiz gün", "geçen gün", "geçenlerde": "the other day", some recent
            # day the story does not give (not yesterday, not the day of writing)
            r"|(?<!\w)(?:geçtiğimiz gün|geçen gün|geçenlerde)(?!\w)"
            # "kısa süre önce" (a while ago) is vague; "olaydan kısa süre önce" (shortly
            # before the incident) is dated by the incident, not a date word itself.
            r"|(?<!\w)(?<!dan )(?<!den )(?<!tan )(?<!ten )kısa süre önce(?!\w)",
            re.I,
        ),
    ),
)


_TR_MODIFIERS = {
    "geçen": "last", "geçtiğimiz": "last", "önceki": "last", "gelecek": "next",
    "önümüzdeki": "next",
}  # fmt: skip
_TR_NUMBERS = {"bir": 1, "iki": 2, "üç": 3, "dört": 4, "beş": 5, "altı": 6, "yedi": 7}


def _tr_lower(text: str) -> str:
    # Python's lower() maps "I" to "i" and "İ" to "i̇"; Turkish needs I→ı and İ→i.
    return text.replace("I", "ı").replace("İ", "i").lower()


def _tr_mention(kind: str, m: re.Match[str], published: dt.date, future: bool) -> DateMention:
    g = m.groupdict()
    text, start, end = m.group(0), m.start(), m.end()
    if kind in ("dmy", "month"):
        month = TR_MONTHS.get(_tr_lower(g["month"]), 0)
        year = int(g["year"]) if g.get("year") else None
        if kind == "month":
            return DateMention(text, start, end, None, "month", year, month)
        if year is not None:
            day = safe_date(year, month, int(g["day"]))
            return DateMention(text, start, end, day, "day", year, month)
        day = pick_year(month, int(g["day"]), published, future)
        return DateMention(text, start, end, day, "day", day.year if day else None, month)
    if kind == "days_ago":
        n = g.get("n")
        count = 2 if n is None else int(n) if n.isdigit() else _TR_NUMBERS[_tr_lower(n)]
        return DateMention(text, start, end, published - dt.timedelta(days=count), "day")
    if kind == "weekday":
        target = TR_WEEKDAYS[_tr_lower(g["weekday"])]
        mod = _TR_MODIFIERS.get(_tr_lower(g.get("mod") or ""))
        day = weekday_date(WEEKDAYS[target], mod, published, future)
        return DateMention(text, start, end, day, "day")
    return mention_from_match(kind, m, published, future)


def find_turkish_date_mentions(
    text: str, published: dt.date, *, future: bool = False
) -> list[DateMention]:
    """Like :func:`find_date_mentions`, for Turkish text."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _TR_PATTERNS:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            if (
                kind == "weekday"
                and not m.group("weekday")[0].isupper()
                and not m.group("mod")
                and not m.group(0).endswith("günü")
            ):
                # Lower-case "pazar" is a market, "cuma" a prayer: need a capital, a
                # modifier or "günü" (the spelling guide writes "salı günü" in lower case).
                continue
            if _tr_names_something(kind, m, text):
                continue
            taken.append((m.start(), m.end()))
            found.append(_tr_mention(kind, m, published, future))
    found.sort(key=lambda d: d.start)
    return found


# Words that may follow a bare day and month that dates something ("3 Mayıs günü",
# "3 Mayıs Pazartesi", "3 Mayıs ile 5 Mayıs arasında"); any other word makes the day part
# of a name ("28 Şubat temalı sergi", "15 Temmuz şehitleri": the day commemorated).
_TR_DATE_FOLLOWERS = re.compile(
    r"\s+(?:gün\w*|tarih\w*|itibar\w*|akşam\w*|sabah\w*|gece\w*|öğle\w*|saat\w*|sonra\w*"
    r"|önce\w*|kadar|ile|ve|veya|ila|ya|da|de|\d|[A-ZÇĞİÖŞÜ]\w*(?=\s+günü)|"
    + "|".join(TR_WEEKDAYS)
    + r")(?!\w)",
    re.I,
)
# An event named with its year ("Gastech 2025", "Expo 2020 kapsamında"): a name, not a date.
_TR_NAME_BEFORE_YEAR = re.compile(r"(?:[A-ZÇĞİÖŞÜ][\wçğıöşü]*|[A-Z]{2,})\s+$")


def _tr_names_something(kind: str, m: re.Match[str], text: str) -> bool:
    """Whether a day or year is part of a name rather than the date of what is told."""
    after = text[m.end() :]
    if kind == "dmy" and not m.group("year") and "'" not in m.group(0) and "’" not in m.group(0):
        return bool(re.match(r"\s+\w", after)) and not _TR_DATE_FOLLOWERS.match(after)
    if kind == "year" and m.group(0).isdigit():
        before = text[max(0, m.start() - 40) : m.start()]
        name = _TR_NAME_BEFORE_YEAR.search(before)
        return name is not None and _tr_lower(name.group(0).strip()) not in TR_MONTHS
    return False


def resolve_turkish_event_date(
    text: str, published: dt.date, *, future: bool = False
) -> tuple[dt.date | None, DateOrigin]:
    """:func:`resolve_event_date` for Turkish text."""
    mentions = find_turkish_date_mentions(text, published, future=future)
    return resolve_mentions(mentions, published, future)
