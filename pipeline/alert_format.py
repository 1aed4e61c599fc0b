"""What an alert says: one event (or a run's digest) as a one-line title and a body, in plain
text and in Markdown, for ``pipeline.alerts`` to send."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

SIDE_LABELS = {"turkiye": "Türkiye", "libya": "Libya", "other": "other"}
SIDE_ORDER = {"turkiye": 0, "libya": 1, "other": 2}

Printer = Callable[["AlertMessage"], None]


@dataclass(frozen=True)
class AlertMessage:
    title: str
    body: str  # plain text, readable on a phone
    markdown: str | None = None  # for channels that render Markdown or HTML (email, Slack…)


def print_message(message: AlertMessage) -> None:
    print(f"{message.title}\n{message.body}\n")


# ---------------------------------------------------------------------------- formatting

VERBS = {
    "meeting": "met",
    "visit": "visited",
    "call": "spoke by phone with",
    "agreement": "signed an agreement with",
    "military": "held military talks with",
    "other": "was in contact with",
}
PLANNED_VERBS = {
    "meeting": "is to meet",
    "visit": "is to visit",
    "call": "is to speak by phone with",
    "agreement": "is to sign an agreement with",
    "military": "is to hold military talks with",
    "other": "is to be in contact with",
}


def _join_names(names: list[str]) -> str:
    """ "A", "A and B", or "A and 2 others": a title must stay one line on a phone."""
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return f"{names[0]} and {len(names) - 1} others"


def _ordered(participants: list[dict] | None) -> list[dict]:
    # Türkiye's side first, then Libya's, then third parties: the order of the title.
    return sorted(participants or [], key=lambda p: SIDE_ORDER.get(p["side"], 3))


def _when(event: dict) -> str:
    return event["event_date"].strftime("%-d %b %Y") if event["event_date"] else "date unknown"


def event_headline(event: dict) -> str:
    """The event in one line: "Türkiye–Libya meeting: A met B in Benghazi, 25 Aug 2025"."""
    participants = _ordered(event["participants"])
    turkish = [p["name"] for p in participants if p["side"] == "turkiye"] or ["Türkiye"]
    libyan = [p["name"] for p in participants if p["side"] == "libya"] or ["Libya"]
    verbs = PLANNED_VERBS if event["status"] == "planned" else VERBS
    verb = "denied meeting" if event["status"] == "denied" else verbs[event["type"]]
    place = event["location"] or event.get("country")  # "in Libya" when no city is known
    where = f" in {place}" if place else ""
    return (
        f"Türkiye–Libya {event['type']}: {_join_names(turkish)} {verb} "
        f"{_join_names(libyan)}{where}, {_when(event)}"
    )


def _participant_line(p: dict) -> str:
    side = SIDE_LABELS.get(p["side"] or "", "unknown side")
    return f"{p['name']} ({side})" + (f", {p['role']}" if p.get("role") else "")


def format_event(event: dict, *, update: bool = False) -> AlertMessage:
    """Title in one line; body with who, what, where, when, evidence and every source."""
    participants = _ordered(event["participants"])
    urls = event.get("urls") or []
    date_note = " (publication date)" if event.get("date_source") == "published" else ""
    facts = [
        ("Type", f"{event['type']} ({event['status']})"),
        ("Date", _when(event) + date_note),
        ("Place", event["location"] or event.get("country") or "—"),
        ("Confidence", f"{event['confidence']:.2f}"),
    ]
    title = ("Update — " if update else "") + event_headline(event)
    intro = ["A new report changed this event."] if update else []
    text = [
        *intro,
        *(f"{name}: {value}" for name, value in facts[:3]),
        "Participants:",
        *(f"  • {_participant_line(p)}" for p in participants),
        f"{facts[3][0]}: {facts[3][1]}",
    ]
    markdown = [
        *intro,
        *(f"**{name}:** {value}  " for name, value in facts),
        "",
        "**Participants:**",
        "",
        *(f"- {_participant_line(p)}" for p in participants),
    ]
    if event.get("evidence"):
        text += ["", f"“{event['evidence']}”"]
        markdown += ["", f"> {event['evidence']}"]
    if urls:
        text += ["", f"Sources ({len(urls)}):", *(f"  {u}" for u in urls)]
        markdown += ["", f"**Sources ({len(urls)}):**", "", *(f"- <{u}>" for u in urls)]
    query = f"SELECT * FROM v_events WHERE id = {event['id']};"
    text += ["", f"Event #{event['id']} — {query}"]
    markdown += ["", f"Event #{event['id']} — `{query}`"]
    return AlertMessage(title=title, body="\n".join(text), markdown="\n".join(markdown))


def format_digest(events: Sequence[tuple[dict, bool]]) -> AlertMessage:
    """One message for a run's new (and, if wanted, updated) events, newest first."""
    new = sum(1 for _, update in events if not update)
    updated = len(events) - new
    counts = [f"{new} new event{'s' * (new != 1)}"] if new else []
    if updated:
        counts.append(f"{updated} updated")
    title = "Türkiye–Libya watch: " + ", ".join(counts)
    text, markdown = [], []
    for event, update in events:
        headline = ("Update — " if update else "") + event_headline(event)
        urls = event.get("urls") or []
        text += [f"• {headline}", *(f"  {u}" for u in urls[:3]), ""]
        markdown += [f"- **{headline}**", *(f"  <{u}>" for u in urls[:3])]
    return AlertMessage(title=title, body="\n".join(text).strip(), markdown="\n".join(markdown))


# What `ltwatch alerts test` sends: a made-up event in the shape of a v_events row.
SAMPLE_EVENT: dict[str, Any] = {
    "id": 0,
    "type": "meeting",
    "status": "occurred",
    "event_date": dt.date(2025, 8, 25),
    "date_source": "text",
    "location": "Benghazi",
    "confidence": 0.9,
    "participants": [
        {"name": "Ibrahim Kalin", "side": "turkiye", "role": "Director of MIT"},
        {"name": "Khalifa Haftar", "side": "libya", "role": "Commander of the LNA"},
    ],
    "evidence": "This is a test message from libya-turkiye-watch; no such report exists.",
    "urls": ["https://example.org/ltwatch-test"],
}
