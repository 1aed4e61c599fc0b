"""When: the day of a contact, and whether a sentence reports history rather than news."""

from __future__ import annotations

import datetime as dt
import re

from pipeline.dates import DateMention, find_date_mentions, resolve_event_date

# Reported history and background: the sentence is not news of a contact.
HISTORY_RE = re.compile(
    r"\b(?:back\s+in|since|previously|formerly|in\s+the\s+past|years?\s+ago|last\s+year"
    r"|had\s+(?:met|visited|held|signed|hosted|received|travelled|traveled|toured|arrived)"
    r"|(?:recent|previous|earlier|prior|last|first)\s+(?:visit|trip|meeting|talks|call)"
    r"|at\s+the\s+time|in\s+a\s+move\s+reminiscent)\b",
    re.I,
)

HISTORY_DAY_LIMIT = 60  # a dated contact older than this is background, not news


def dates_history(text: str, published: dt.date) -> bool:
    return mentions_history(find_date_mentions(text, published), published)


def mentions_history(mentions: list[DateMention], published: dt.date) -> bool:
    """An explicit year or month before the publication's month, or a day long past."""
    for mention in mentions:
        if mention.precision == "year" and mention.year and mention.year < published.year:
            return True
        if mention.precision == "month" and mention.month:
            year = mention.year or published.year
            if (year, mention.month) < (published.year, published.month):
                return True
        if (
            mention.precision == "day"
            and mention.date
            and (published - mention.date).days > HISTORY_DAY_LIMIT
        ):
            return True
    return False


def event_date(
    text: str, published: dt.date | None, *, planned: bool
) -> tuple[dt.date | None, str | None]:
    if published is None:
        # Without an anchor only a full explicit date can be trusted.
        anchor = dt.date.today()
        full = [m for m in find_date_mentions(text, anchor) if m.year and m.date]
        return (full[0].date, "text") if full else (None, None)
    day, origin = resolve_event_date(text, published, future=planned)
    if origin == "vague" or day is None:
        return None, None
    return day, origin
