"""The values that flow between stages: plain pydantic models, no database, no I/O.

They are the contract between the cleaner, the extractor, storage and the command
line (``ltwatch extract`` prints :class:`PageAnalysis` as JSON).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

Side = Literal["turkiye", "libya", "other"]
EventType = Literal["meeting", "visit", "call", "agreement", "military", "other"]
EventStatus = Literal["occurred", "planned", "denied"]
# Where an event's date came from: the text itself, or the publication date as a fallback.
DateSource = Literal["text", "published"]


class CleanArticle(BaseModel):
    """What the cleaner keeps of a page: metadata and boilerplate-free body text."""

    title: str | None = None
    published: dt.date | None = None
    language: str | None = None
    author: str | None = None
    sitename: str | None = None
    canonical_url: str | None = None
    text: str = ""


Camp = Literal["tripoli", "east"]


class Participant(BaseModel):
    name: str
    side: Side | None = None
    role: str | None = None
    # For Libyan actors the gazetteer knows: which of the rival camps they belong to.
    camp: Camp | None = None


class ExtractedEvent(BaseModel):
    type: EventType
    # The PLOVER category the type maps to (CONSULT, AGREE, MOBILIZE…), so the events
    # line up with machine-coded datasets; see pipeline/data/event_types.yaml.
    plover: str | None = None
    status: EventStatus = "occurred"
    date: dt.date | None = None
    date_source: DateSource | None = None
    location: str | None = None
    country: str | None = None
    participants: list[Participant] = Field(default_factory=list)
    evidence: str
    confidence: float = Field(ge=0.0, le=1.0)


class PageAnalysis(BaseModel):
    """The ``ltwatch extract`` JSON contract: everything the pipeline makes of one page."""

    url: str | None = None
    title: str | None = None
    published: dt.date | None = None
    language: str | None = None
    relevant: bool
    text: str
    events: list[ExtractedEvent] = Field(default_factory=list)
