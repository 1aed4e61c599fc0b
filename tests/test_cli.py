"""The `ltwatch extract` contract, on the naive text extractions the project started from.

The seed pages live outside the repository (`../shared/seeds/`, beside the clone); their
sentences are not copied into the project. Where they are absent the seed tests skip.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.samplesite import SITE_DIR
from tests.conftest import ltwatch

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
TRT_SEED = SEEDS / "000_4c89d705bb62a42a.txt"
WIRE_SEED = SEEDS / "004_467517b58ddee1ac.txt"


def extract(*args: str) -> dict:
    result = ltwatch("extract", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def people(event: dict) -> set[tuple[str, str]]:
    return {(p["name"], p["side"]) for p in event["participants"]}


@pytest.mark.skipif(not SEEDS.exists(), reason="../shared/seeds is not beside this clone")
def test_the_trt_seed_yields_the_benghazi_meeting_and_the_delegation_visit_only():
    page = extract(str(TRT_SEED), "--published", "2025-08-25")
    assert page["relevant"] is True
    assert "Explore" not in page["text"] and "Accept Read More" not in page["text"]
    meeting, visit = page["events"]
    assert (meeting["type"], meeting["date"], meeting["location"]) == (
        "meeting",
        "2025-08-25",
        "Benghazi",
    )
    assert people(meeting) == {("Ibrahim Kalin", "turkiye"), ("Khalifa Haftar", "libya")}
    assert (visit["type"], visit["location"]) == ("visit", "Benghazi")
    # "Haftar, the deputy commander": the role says which Haftar.
    assert {("Ilkay Altindag", "turkiye"), ("Saddam Haftar", "libya")} <= people(visit)


@pytest.mark.skipif(not SEEDS.exists(), reason="../shared/seeds is not beside this clone")
def test_the_wire_seed_dates_the_meeting_to_the_thursday_before_publication():
    page = extract(str(WIRE_SEED), "--published", "2024-09-02")  # a Monday
    [meeting] = page["events"]  # the 2020 deployment and the May trip are history
    # Only the country is given: no city, as the corpus annotates it.
    assert (meeting["type"], meeting["date"], meeting["location"], meeting["country"]) == (
        "meeting",
        "2024-08-29",
        None,
        "Libya",
    )
    assert people(meeting) == {("Ibrahim Kalin", "turkiye"), ("Abdulhamid Dbeibah", "libya")}
    assert meeting["date_source"] == "text"


def test_extract_prints_the_contract_for_an_html_page():
    page = extract(
        str(SITE_DIR / "wire/world/africa/erdogan-menfi-phone-call.html"),
        "--url",
        "https://example.org/call",
    )
    assert set(page) == {"url", "title", "published", "language", "relevant", "text", "events"}
    [call] = page["events"]
    assert set(call) >= {
        "type",
        "status",
        "date",
        "location",
        "participants",
        "evidence",
        "confidence",
    }
    assert (call["type"], call["location"], page["language"]) == ("call", None, "en")
    assert all(set(p) >= {"name", "side", "role"} for p in call["participants"])


def test_extract_of_an_unrelated_page_finds_no_event():
    page = extract(str(SITE_DIR / "trt/sport/turkiye-and-libya-draw-in-antalya-friendly.html"))
    assert page["relevant"] is False and page["events"] == []


def test_a_missing_sources_file_is_one_plain_line_not_a_traceback(tmp_path: Path):
    result = ltwatch("run", "--sources", str(tmp_path / "nope.yaml"))
    assert result.returncode == 2
    assert "Configuration error" in result.stderr and "nope.yaml" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unreachable_database_says_so_plainly():
    result = ltwatch("events", env={"LTWATCH_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"})
    assert result.returncode == 1
    assert "Database unreachable" in result.stderr and "LTWATCH_DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr
