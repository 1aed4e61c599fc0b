"""When: the day of a contact, and whether a sentence reports history rather than news."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from pipeline.dates import DateMention, find_date_mentions, resolve_event_date

# Reported history and background: the sentence is not news of a contact.
HISTORY_RE = re.compile(
    r"\b(?:back\s+in|since|previously|formerly|in\s+the\s+past|years?\s+ago|last\s+year"
    r"|(?:previous|prior|last)\s+(?:visit|trip|meeting|talks|call)"
    r"|at\s+the\s+time|in\s+a\s+move\s+reminiscent)\b",
    re.I,
)
# "the first visit by a Turkish minister since 2021", "his first trip since taking office":
# a first-in-years is news of the contact, the "since" measures the gap, not a past one.
FIRST_SINCE_RE = re.compile(
    r"\b(?:first|only)\b[^.;]{0,80}?\bsince(?:\s+(?:early|mid|late|the\s+\w+\s+of))?"
    r"(?:\s+[A-Z][a-z]+)?(?:\s+(?:19|20)\d\d\b)?",
    re.I,
)


def first_since_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` measures a gap ("the first visit since 2021"): not the contact's date."""
    return [m.span() for m in FIRST_SINCE_RE.finditer(text)]


PLUPERFECT_RE = re.compile(
    r"\bhad\s+(?:\w+\s+)?(?:met|visited|held|signed|hosted|received|travelled|traveled"
    r"|toured|arrived|spoken|talked|discussed)\b",
    re.I,
)
# Words that make a contact told in the past recent ("days after he had met", "his earlier
# visit", "recently held talks"): news the analyst wants (contacts of the last weeks count
# even in passing), but not on the day of writing, so its day stays unknown unless given.
RECENT_CUE_RE = re.compile(
    r"\b(?:recently|earlier\s+(?:this|last)\s+\w+|days\s+(?:after|before)"
    r"|earlier\s+(?:\w+\s+)?(?:met|held|visited|received|hosted|signed|spoke|talked|travell?ed)"
    r"|last\s+week|this\s+(?:week|month)"
    # "during the past days", "in the last few weeks", "over recent days": no day of its own
    r"|(?:during|in|over)\s+the\s+(?:past|last)\s+(?:few\s+|several\s+)?(?:days|weeks)"
    r"|(?:in|over)\s+recent\s+(?:days|weeks)"
    r"|(?:recent|earlier)\s+(?:\w+\s+)?(?:visit|trip|meeting|talks|call))\b",
    re.I,
)


def recent_cue(text: str, *, at: int | None = None) -> bool:
    """Whether ``text`` tells a contact as recent past. With ``at`` (the contact's offset),
    a "days after …" that follows it dates the clause after, not the contact: "X met Y,
    days after Z visited Ankara" is news of the day."""
    for match in RECENT_CUE_RE.finditer(text):
        if at is not None and at < match.start() and match.group(0).lower().startswith("days"):
            continue
        return True
    return False


def is_history(text: str, *, pluperfect: bool | None = None, recent: bool | None = None) -> bool:
    """Background rather than news: "back in", "years ago", a pluperfect with no recency.

    ``pluperfect`` says whether the contact's own clause is in the pluperfect, where a parse
    tells it ("met X and had visited the embassy" is not history for the meeting), and
    ``recent`` whether it is told as recent (:func:`recent_cue`); by default the whole
    sentence is read.
    """
    if HISTORY_RE.search(FIRST_SINCE_RE.sub(" ", text)):
        return True
    if pluperfect is None:
        pluperfect = bool(PLUPERFECT_RE.search(text))
    if recent is None:
        recent = recent_cue(text)
    return pluperfect and not recent


def is_recent_past(
    text: str, *, pluperfect: bool | None = None, recent: bool | None = None
) -> bool:
    """A contact told as recent past ("recently", "days after", a pluperfect); ``pluperfect``
    and ``recent`` as in :func:`is_history`."""
    if pluperfect is None:
        pluperfect = bool(PLUPERFECT_RE.search(text))
    if recent is None:
        recent = recent_cue(text)
    return recent or pluperfect


# A day counted from the one the story has told: "a day earlier", "the following day".
DAY_BEFORE_RE = re.compile(
    r"\b(?:(?:a|one)\s+day\s+(?:earlier|before)|the\s+(?:previous|preceding)\s+day"
    r"|the\s+day\s+before(?!\s+(?:yesterday|the|his|her|their|a)\b))",
    re.I,
)
DAY_AFTER_RE = re.compile(
    r"\b(?:(?:a|one)\s+day\s+later|the\s+(?:next|following)\s+day|the\s+day\s+after"
    r"(?!\s+(?:tomorrow|the|his|her|their|a)\b))",
    re.I,
)


SAME_DAY_RE = re.compile(r"\b(?:the\s+same\s+day|(?:on\s+)?that\s+day|later\s+that\s+day)\b", re.I)
# "Fidan later held a separate meeting with X", "He then met Y": the next stop of the
# programme the story just told, on its day (not "since then", "the then minister", "later
# this month", which a date word dates).
SEQUENCE_RE = re.compile(
    r"\b(?:later|afterwards|subsequently|earlier\s+in\s+the\s+day)\b(?!\s+(?:this|that|next|in)\b)"
    r"|(?<!\bthe\s)(?<!\bsince\s)(?<!\buntil\s)(?<!\bby\s)(?<!\bjust\s)\bthen\b",
    re.I,
)


def shifted_day(text: str, told: dt.date | None) -> dt.date | None:
    """The day "a day earlier" / "the next day" / "the same day" gives, counted from ``told``."""
    if told is None:
        return None
    if SAME_DAY_RE.search(text):
        return told
    if DAY_BEFORE_RE.search(text):
        return told - dt.timedelta(days=1)
    if DAY_AFTER_RE.search(text):
        return told + dt.timedelta(days=1)
    return None


LEDE_PARAGRAPHS = 2  # the paragraphs whose day dates the whole story
HISTORY_DAY_LIMIT = 60  # a dated contact older than this is background, not news


def dates_history(text: str, published: dt.date) -> bool:
    return mentions_history(find_date_mentions(text, published), published)


def mentions_history(mentions: list[DateMention], published: dt.date) -> bool:
    """An explicit year or month before the publication's month, or a day long past."""
    for mention in mentions:
        if mention.precision == "year" and mention.year and mention.year < published.year:
            return True
        if mention.precision == "month" and mention.month:
            # A month with no year, after the month of writing, is last year's in a story
            # of what happened ("Last November, Turkey and Libya signed …").
            year = mention.year or (
                published.year - 1 if mention.month > published.month else published.year
            )
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


def announced_day(text: str, published: dt.date) -> dt.date | None:
    """ "X received Y, the ministry said on Sunday": for a contact the sentence gives no day
    of its own, the day it was announced is the one the text tells."""
    said = [
        m.date
        for m in find_date_mentions(text, published, attribution=True)
        if m.precision == "day" and m.date is not None and m.date <= published
    ]
    return said[0] if said else None


@dataclass
class StoryDay:
    """The day a story has given, for its sentences that give none.

    News dates its lede ("… met on Tuesday") and goes on without repeating it; a paragraph
    that gives a day of its own ("On Friday, …") dates the sentences after it in it. The
    lede's day, when the lede tells no contact, is for the people it was told of: "Dbeibah
    announced the crash on Tuesday" does not date "X met Y" paragraphs further down.
    """

    lede: dt.date | None = None
    lede_people: frozenset[str] = frozenset()
    paragraph: int = -1
    day: dt.date | None = None
    # The day last told with each person: "The delegation arrived yesterday, led by X." ¶
    # "The delegation was received by Y." met on that day.
    people_days: dict[str, dt.date] = field(default_factory=dict)

    def tell(
        self, paragraph: int, day: dt.date, people: frozenset[str] = frozenset(), *,
        contact: bool = True,
    ) -> None:  # fmt: skip
        """``people``: whom the telling sentence names; ``contact``: whether it tells a
        contact (then its day is the story's, whoever a later contact is between)."""
        if self.lede is None and paragraph < LEDE_PARAGRAPHS:
            self.lede, self.lede_people = day, frozenset() if contact else people
        self.paragraph, self.day = paragraph, day
        self.people_days = self.people_days | dict.fromkeys(people, day)  # copies stay as told

    def day_of(
        self, paragraph: int, people: frozenset[str], taken: frozenset[str]
    ) -> dt.date | None:
        """For a contact of ``people`` that took the ``taken`` ones from sentences before
        it: the one day told with each of them, else the story's day for them."""
        days = {self.people_days.get(p) for p in taken}
        if taken and len(days) == 1 and None not in days:
            return days.pop()
        return self.day_for(paragraph, people)

    def day_for(self, paragraph: int, people: frozenset[str] = frozenset()) -> dt.date | None:
        if paragraph == self.paragraph:
            return self.day
        if self.lede_people and people and not self.lede_people & people:
            return None
        return self.lede


def dated_this_week(dates: list[DateMention], published: dt.date) -> bool:
    """A day of its own within the week of writing ("today, Tuesday", "dün"): the news,
    whatever year it names in passing ("… protocols of the 2019 security accord")."""
    return any(
        d.precision == "day" and d.date is not None and 0 <= (published - d.date).days <= 7
        for d in dates
    )
