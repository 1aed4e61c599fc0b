"""The extractor on real published reporting (``../shared/corpus/realnews``), read at run time.

These are floors, not targets: each is a little under what the extractor measured when it
was last changed (README, "How well it extracts"), so that a change that loses real
contacts, or invents some, fails here even when every hand-written case still passes.
The ``test`` file is only measured, never tuned on.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.evaluate import EvalReport, evaluate

REALNEWS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "realnews"

pytestmark = pytest.mark.skipif(
    not (REALNEWS / "dev.jsonl").exists(),
    reason="../shared/corpus/realnews is not beside this clone",
)

# (split, language): (precision floor, recall floor)
FLOORS = {
    ("dev", "en"): (0.90, 0.80),
    ("dev", "tr"): (0.85, 0.80),
    # rules-2.3 and 2.4 give 0.78 / 0.62 on test (rules-2.2 had two more invented events).
    ("test", "en"): (0.72, 0.55),
    ("test", "tr"): (0.75, 0.40),
    # A handful of Arabic articles in each file: a floor against losing the language.
    ("dev", "ar"): (0.75, 0.75),
    ("test", "ar"): (0.60, 0.60),
}


@pytest.fixture(scope="module", params=["dev", "test"])
def report(request: pytest.FixtureRequest) -> tuple[str, EvalReport]:
    return request.param, evaluate(REALNEWS / f"{request.param}.jsonl")


@pytest.mark.parametrize("language", ["en", "tr", "ar"])
def test_real_contacts_are_found_and_few_are_invented(
    report: tuple[str, EvalReport], language: str
) -> None:
    split, figures = report
    counts = figures.by_language[language]
    precision_floor, recall_floor = FLOORS[(split, language)]
    assert counts.precision >= precision_floor, (split, language, counts)
    assert counts.recall >= recall_floor, (split, language, counts)


def test_hard_negatives_stay_almost_silent(report: tuple[str, EvalReport]) -> None:
    split, figures = report
    # History, rumours and third-country contacts: at most one article in ten yields an event.
    assert figures.hard_negatives_with_events <= figures.hard_negatives // 10 + 1, split


def test_found_contacts_carry_the_day_they_happened(report: tuple[str, EvalReport]) -> None:
    split, figures = report
    assert figures.date_accuracy >= 0.85, split
