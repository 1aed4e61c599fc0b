"""PLOVER categories of event types (data/event_types.yaml)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).parent.parent / "data"


@cache
def _event_type_table() -> dict[str, Any]:
    with (DATA_DIR / "event_types.yaml").open(encoding="utf-8") as handle:
        table: dict[str, Any] = yaml.safe_load(handle)["types"]
    return table


def plover_category(event_type: str, evidence: str = "") -> str | None:
    """The PLOVER category of an event type, refined for military events by their wording."""
    entry = _event_type_table().get(event_type)
    if entry is None:
        return None
    words = set(re.findall(r"\w+", evidence.lower()))
    for cue in entry.get("military_cues", []):
        if any(w.startswith(cue["cue"]) for w in words):
            return str(cue["plover"])
    return str(entry["plover"])
