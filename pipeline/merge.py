"""The rule that decides whether two extracted events are the same real-world contact.

Pure (no database), so that evaluation can measure merging without Postgres and
``store.find_matching_event`` can apply exactly the same rule to its SQL candidates:
same type family and status, the same stated day (or, where a report only has its
publication date, dates within ``MERGE_WINDOW_DAYS``), and at least one shared principal
on the Turkish side and one on the Libyan side.
"""

from __future__ import annotations

from pipeline.gazetteer import normalise_name
from pipeline.records import ExtractedEvent, Participant

# Reports of one meeting by different outlets differ by a day or two (time zones, "on
# Monday" read against different publication dates); two meetings of the same pair are
# rarely closer together than that.
MERGE_WINDOW_DAYS = 2

# Types that describe the same kind of contact: one outlet writes "visited", another "met".
TYPE_FAMILIES: dict[str, str] = {
    "meeting": "in_person",
    "visit": "in_person",
    "call": "call",
    "agreement": "agreement",
    "military": "military",
    "other": "other",
}


def principals(participants: list[Participant], side: str) -> set[str]:
    """One side's participants, compared as the gazetteer compares names (case, accents,
    hyphens and apostrophes aside: "Çavuşoğlu" is "Cavusoglu", "al-Dbeibah" "al Dbeibah")."""
    return {normalise_name(p.name) for p in participants if p.side == side}


def _share_principals(a: ExtractedEvent, b: ExtractedEvent) -> bool:
    """At least one principal of ``a`` on each side is also a principal of ``b``."""
    turkish_a, libyan_a = principals(a.participants, "turkiye"), principals(a.participants, "libya")
    if not turkish_a or not libyan_a:
        return False
    return bool(turkish_a & principals(b.participants, "turkiye")) and bool(
        libyan_a & principals(b.participants, "libya")
    )


def same_contact_in_article(a: ExtractedEvent, b: ExtractedEvent) -> bool:
    """Whether two contacts one article tells are one (the extractor's merge rule).

    Within one article a restatement without date words ("the talks focused on …") is the
    contact the article dated; two days the text gives are two contacts.
    """
    if TYPE_FAMILIES[a.type] != TYPE_FAMILIES[b.type] or a.status != b.status:
        return False
    if a.date_source == b.date_source == "text" and a.date != b.date:
        return False
    return _share_principals(a, b)


def same_event(a: ExtractedEvent, b: ExtractedEvent) -> bool:
    """Whether ``a`` and ``b`` report the same contact (the store's merge rule)."""
    if TYPE_FAMILIES[a.type] != TYPE_FAMILIES[b.type] or a.status != b.status:
        return False
    if (a.date is None) != (b.date is None):
        return False
    if (
        a.date is not None
        and b.date is not None
        and abs((a.date - b.date).days) > MERGE_WINDOW_DAYS
    ):
        return False
    # Two reports that each state the day, and disagree, are two meetings: the window is
    # only for dates that fell back to the publication day.
    if a.date != b.date and a.date_source == b.date_source == "text":
        return False
    return _share_principals(a, b)
