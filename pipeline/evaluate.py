"""``ltwatch eval DATASET``: how well extraction does on an annotated development set.

The project's development set is ``eval/devset.jsonl``: short news passages written for
the project in its own words (English and Turkish), one JSON object per line::

    {"id": "en-call-yesterday", "published": "2025-04-01", "language": "en",
     "title": null, "text": "…",
     "events": [{"type": "call", "status": "occurred", "date": "2025-03-31",
                 "date_source": "text", "location": null, "country": null,
                 "participants": [{"name": "…", "side": "turkiye", "role": "…"}, …],
                 "cluster": "B"}]}

``events`` follow the extract contract minus evidence and confidence; an empty list is a
hard negative (Türkiye–Syria or Libya–Egypt contacts, Libya-internal politics naming
Türkiye in passing, history, opinion, football, headline lists). Events of different
items that share a ``cluster`` are the same real-world event reported twice.

Each item goes through the real relevance filter and extractor (``analyse_page``).
A predicted event *matches* a gold event of the same item when their type family
(meeting = visit), at least one participant on the Turkish side, at least one on the
Libyan side, and the date (both ``null`` included) agree; matching is one-to-one.
Reported figures:

* event precision, recall and F1 under that rule;
* date / place / participants / roles / status accuracy over gold events that have a
  prediction agreeing on type family and both sides (so a wrong date is counted as a
  date error, not only as a miss): place = location and country equal; participants =
  the same set of (name, side); roles = share of gold participants with a role whose
  predicted role shares at least half of its content words;
* merging accuracy: over pairs of gold events from different items that are either in
  one cluster or could be confused (same type family and a shared participant on each
  side), whether ``pipeline.merge.same_event`` on their predictions agrees with the
  annotation.
"""

from __future__ import annotations

import datetime as dt
import re
from itertools import combinations
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from pipeline.extract import analyse_page
from pipeline.extract.institutions import government_side
from pipeline.gazetteer import alias_key, load_gazetteer, normalise_name
from pipeline.merge import TYPE_FAMILIES, same_event
from pipeline.records import EventStatus, EventType, ExtractedEvent, Participant
from pipeline.transliteration import person_by_spelling

DEFAULT_DATASET = Path(__file__).resolve().parent.parent / "eval" / "devset.jsonl"
# Words that say nothing about which office a role names.
_ROLE_STOPWORDS = {"the", "of", "a", "an", "and", "for", "to", "in", "s", "libya", "libyan",
                   "turkish", "turkey", "türkiye", "turkiye"}  # fmt: skip


class GoldEvent(BaseModel):
    type: EventType
    status: EventStatus = "occurred"
    date: dt.date | None = None
    date_source: str | None = None
    location: str | None = None
    country: str | None = None
    participants: list[Participant] = Field(default_factory=list)
    cluster: str | None = None


class DevItem(BaseModel):
    id: str
    text: str
    published: dt.date | None = None  # unknown: only dates the text gives in full resolve
    language: str = "en"
    title: str | None = None
    events: list[GoldEvent] = Field(default_factory=list)


class ItemResult(BaseModel):
    id: str
    gold: int
    predicted: int
    matched: int
    misses: list[str] = Field(default_factory=list)  # human-readable, for debugging


class Counts(BaseModel):
    """Gold, predicted and matched events of one slice (a language, an event type)."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0

    @property
    def precision(self) -> float:
        return _ratio(self.matched, self.predicted)

    @property
    def recall(self) -> float:
        return _ratio(self.matched, self.gold)


class EvalReport(BaseModel):
    dataset: str
    items: int
    gold_events: int
    predicted_events: int
    matched_events: int
    precision: float
    recall: float
    f1: float
    date_accuracy: float
    place_accuracy: float
    participant_accuracy: float
    role_accuracy: float
    status_accuracy: float
    merge_accuracy: float
    merge_pairs: int
    attribute_base: int  # gold events the attribute accuracies are computed over
    by_language: dict[str, Counts] = Field(default_factory=dict)
    by_type: dict[str, Counts] = Field(default_factory=dict)  # gold type; spurious by predicted
    hard_negatives: int = 0  # items with no gold event
    hard_negatives_with_events: int = 0  # … of which the extractor found an event in
    failures: list[ItemResult] = Field(default_factory=list)


class DatasetError(ValueError):
    """A dataset line that is not a record of the corpus format (the message says where)."""


def load_dataset(path: Path) -> list[DevItem]:
    items: list[DevItem] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            items.append(DevItem.model_validate_json(line))
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc'])) or 'line'}: {e['msg']}" for e in exc.errors()
            )
            raise DatasetError(f"{path}, line {number}: {problems}") from None
    return items


def person_key(name: str) -> str:
    """A participant's name as evaluation compares it: the gazetteer's canonical name when
    it lists the spelling (or, for a name from Arabic, its spelling family) as one person or
    institution, else the name itself, folded. An annotation writing "al-Huwaij" or "Libyan
    Army" and an extraction giving the gazetteer's "al-Hweij" or "Libyan Army (Tripoli)"
    name one party; counting that as a miss would measure spelling, not extraction."""
    gaz = load_gazetteer()
    if (side := government_side(name)) is not None:
        # "Government of Libya" and the GNA or GNU of the day: one party (the day is
        # matched on its own)
        return f"government of {side}"
    alias = alias_key(name)
    if (person_id := gaz.person_aliases.get(alias)) is not None:
        return normalise_name(gaz.people[person_id].name)
    if (institution := gaz.institution_aliases.get(alias)) is not None:
        return normalise_name(institution.name)
    listed = person_by_spelling(gaz, name)
    return normalise_name(listed.name) if listed is not None else normalise_name(name)


def _names(participants: list[Participant], side: str) -> set[str]:
    return {person_key(p.name) for p in participants if p.side == side}


def _same_parties(gold: GoldEvent, pred: ExtractedEvent) -> bool:
    return all(
        _names(gold.participants, side) & _names(pred.participants, side)
        for side in ("turkiye", "libya")
    )


def _loose_match(gold: GoldEvent, pred: ExtractedEvent) -> bool:
    return TYPE_FAMILIES[gold.type] == TYPE_FAMILIES[pred.type] and _same_parties(gold, pred)


def _strict_match(gold: GoldEvent, pred: ExtractedEvent) -> bool:
    return _loose_match(gold, pred) and gold.date == pred.date


def _pair(golds: list[GoldEvent], preds: list[ExtractedEvent], rule: Any) -> list[tuple[int, int]]:
    """Greedy one-to-one pairing of gold and predicted events under ``rule``."""
    pairs: list[tuple[int, int]] = []
    used: set[int] = set()
    for gi, gold in enumerate(golds):
        for pi, pred in enumerate(preds):
            if pi not in used and rule(gold, pred):
                pairs.append((gi, pi))
                used.add(pi)
                break
    return pairs


def _role_words(role: str | None) -> set[str]:
    return {w for w in re.findall(r"\w+", (role or "").lower()) if w not in _ROLE_STOPWORDS}


def _role_ok(gold: Participant, preds: list[Participant]) -> bool:
    want = _role_words(gold.role)
    for pred in preds:
        if person_key(pred.name) == person_key(gold.name):
            got = _role_words(pred.role)
            return bool(want) and len(want & got) * 2 >= len(want)
    return False


def _describe(event: GoldEvent | ExtractedEvent) -> str:
    people = ", ".join(f"{p.name}/{p.side}" for p in event.participants)
    return f"{event.type} {event.status} {event.date} @{event.location} [{people}]"


def _ratio(good: int, total: int) -> float:
    return round(good / total, 3) if total else 1.0


def evaluate(dataset_path: Path = DEFAULT_DATASET) -> EvalReport:
    """Run relevance + extraction over the dataset and score it (see the module docstring)."""
    items = load_dataset(dataset_path)
    gold_total = pred_total = matched = 0
    date_ok = place_ok = parts_ok = status_ok = base = 0
    roles_ok = roles_total = 0
    failures: list[ItemResult] = []
    by_language: dict[str, Counts] = {}
    by_type: dict[str, Counts] = {}
    negatives = negatives_hit = 0
    # (item id, gold event, the prediction paired with it loosely or None)
    aligned: list[tuple[str, GoldEvent, ExtractedEvent | None]] = []
    for item in items:
        analysis = analyse_page(
            item.text, title=item.title, published=item.published, language=item.language
        )
        preds = analysis.events
        strict = _pair(item.events, preds, _strict_match)
        loose = dict(_pair(item.events, preds, _loose_match))
        gold_total += len(item.events)
        pred_total += len(preds)
        matched += len(strict)
        language = by_language.setdefault(item.language, Counts())
        language.gold += len(item.events)
        language.predicted += len(preds)
        language.matched += len(strict)
        for gold in item.events:
            by_type.setdefault(gold.type, Counts()).gold += 1
        for pred in preds:
            by_type.setdefault(pred.type, Counts()).predicted += 1
        for gi, pi in strict:
            # A match counts for the gold type; a meeting predicted as a visit (same
            # family) is moved from the visit's predicted count to the meeting's.
            gold_type, pred_type = item.events[gi].type, preds[pi].type
            by_type[gold_type].matched += 1
            by_type[pred_type].predicted -= 1
            by_type[gold_type].predicted += 1
        if not item.events:
            negatives += 1
            negatives_hit += bool(preds)
        for gi, gold in enumerate(item.events):
            pred = preds[loose[gi]] if gi in loose else None
            aligned.append((item.id, gold, pred))
            if pred is None:
                continue
            base += 1
            date_ok += gold.date == pred.date
            place_ok += (gold.location, gold.country) == (pred.location, pred.country)
            status_ok += gold.status == pred.status
            gold_people = {(person_key(p.name), p.side) for p in gold.participants}
            pred_people = {(person_key(p.name), p.side) for p in pred.participants}
            parts_ok += gold_people == pred_people
            for participant in gold.participants:
                if participant.role:
                    roles_total += 1
                    roles_ok += _role_ok(participant, pred.participants)
        if len(strict) != len(item.events) or len(strict) != len(preds):
            hit_g = {g for g, _ in strict}
            hit_p = {p for _, p in strict}
            misses = [
                f"missed: {_describe(g)}" for i, g in enumerate(item.events) if i not in hit_g
            ]
            misses += [f"spurious: {_describe(p)}" for i, p in enumerate(preds) if i not in hit_p]
            failures.append(
                ItemResult(
                    id=item.id,
                    gold=len(item.events),
                    predicted=len(preds),
                    matched=len(strict),
                    misses=misses,
                )
            )
    merge_good, merge_pairs = _merge_scores(aligned)
    precision = _ratio(matched, pred_total)
    recall = _ratio(matched, gold_total)
    f1 = round(2 * precision * recall / (precision + recall), 3) if precision + recall else 0.0
    return EvalReport(
        dataset=str(dataset_path),
        items=len(items),
        gold_events=gold_total,
        predicted_events=pred_total,
        matched_events=matched,
        precision=precision,
        recall=recall,
        f1=f1,
        date_accuracy=_ratio(date_ok, base),
        place_accuracy=_ratio(place_ok, base),
        participant_accuracy=_ratio(parts_ok, base),
        role_accuracy=_ratio(roles_ok, roles_total),
        status_accuracy=_ratio(status_ok, base),
        merge_accuracy=_ratio(merge_good, merge_pairs),
        merge_pairs=merge_pairs,
        attribute_base=base,
        by_language=dict(sorted(by_language.items())),
        by_type=dict(sorted(by_type.items())),
        hard_negatives=negatives,
        hard_negatives_with_events=negatives_hit,
        failures=failures,
    )


def _as_event(gold: GoldEvent) -> ExtractedEvent:
    fields = gold.model_dump(exclude={"cluster", "date_source"})
    return ExtractedEvent(**fields, evidence="(gold)", confidence=1.0)


def _merge_scores(aligned: list[tuple[str, GoldEvent, ExtractedEvent | None]]) -> tuple[int, int]:
    good = total = 0
    for (id_a, gold_a, pred_a), (id_b, gold_b, pred_b) in combinations(aligned, 2):
        if id_a == id_b:
            continue
        should = gold_a.cluster is not None and gold_a.cluster == gold_b.cluster
        confusable = TYPE_FAMILIES[gold_a.type] == TYPE_FAMILIES[gold_b.type] and all(
            _names(gold_a.participants, s) & _names(gold_b.participants, s)
            for s in ("turkiye", "libya")
        )
        if not (should or confusable):
            continue
        total += 1
        merged = pred_a is not None and pred_b is not None and same_event(pred_a, pred_b)
        good += merged == should
    return good, total


def render_report(report: EvalReport) -> str:
    """A plain-text table of the figures, then the items that did not fully match."""
    rows = [
        ("items", f"{report.items}"),
        ("gold / predicted / matched events",
         f"{report.gold_events} / {report.predicted_events} / {report.matched_events}"),
        ("event precision", f"{report.precision:.3f}"),
        ("event recall", f"{report.recall:.3f}"),
        ("event F1", f"{report.f1:.3f}"),
        # Found on type and parties whatever the day: what a wrong or missing day costs.
        ("events found, any day", f"{report.attribute_base} of {report.gold_events}"),
        (f"date accuracy (n={report.attribute_base})", f"{report.date_accuracy:.3f}"),
        ("place accuracy", f"{report.place_accuracy:.3f}"),
        ("participant accuracy", f"{report.participant_accuracy:.3f}"),
        ("role accuracy", f"{report.role_accuracy:.3f}"),
        ("status accuracy", f"{report.status_accuracy:.3f}"),
        (f"merge accuracy (pairs={report.merge_pairs})", f"{report.merge_accuracy:.3f}"),
    ]  # fmt: skip
    rows.append(
        ("hard negatives with an event",
         f"{report.hard_negatives_with_events} of {report.hard_negatives}")
    )  # fmt: skip
    width = max(len(label) for label, _ in rows)
    lines = [f"Evaluation of {report.dataset}", ""]
    lines += [f"{label:<{width}}  {value:>12}" for label, value in rows]
    for heading, table in (("language", report.by_language), ("event type", report.by_type)):
        lines += ["", f"{'by ' + heading:<14} {'gold':>5} {'pred':>5} {'match':>5} "
                      f"{'precision':>9} {'recall':>7}"]  # fmt: skip
        lines += [
            f"  {name:<12} {c.gold:>5} {c.predicted:>5} {c.matched:>5} "
            f"{c.precision:>9.3f} {c.recall:>7.3f}"
            for name, c in table.items()
        ]
    if report.failures:
        lines += ["", "Items not fully matched:"]
        for failure in report.failures:
            lines.append(
                f"  {failure.id}: gold {failure.gold}, predicted {failure.predicted}, "
                f"matched {failure.matched}"
            )
            lines += [f"    {miss}" for miss in failure.misses]
    return "\n".join(lines)


def eval_command(dataset: Path = DEFAULT_DATASET, *, failures: bool = True) -> None:
    """Entry point for ``ltwatch eval DATASET`` (the CLI registers it)."""
    report = evaluate(dataset)
    if not failures:
        report.failures = []
    print(render_report(report))


if __name__ == "__main__":
    import sys

    eval_command(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DATASET)
