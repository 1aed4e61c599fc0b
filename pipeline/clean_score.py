"""Score a cleaner's body text against a page's ground-truth body (the shared page corpus).

The scoring follows the suggestion in ``../shared/corpus/pages/README.md``, so figures from
the benchmark (``bench/bench_clean.py``) and the tests (``tests/test_clean.py``) mean the
same thing:

* text is compared on a *key* of letters and digits only (NFKC, casefolded, quotes
  unified), so whitespace, punctuation and typography differences do not count;
* **recall**: an expected body item is found when its key, or at least 90 % of its
  12-character shingles, occurs in the output;
* **precision**: of the output lines longer than 20 characters, the share that belongs
  to the expected title + body (same substring-or-shingles rule, the other way round).

Items the corpus marks as not visible in the page's ``<body>`` (taken by the reference
parser from JSON-LD or ``<meta>``) are left out: a cleaner working on the DOM cannot be
blamed for missing them. The expectations follow each reference parser's own selection
(they omit lists, pull quotes, captions), so absolute precision is a lower bound: compare
cleaners on the same pages rather than reading one figure alone.
"""

from __future__ import annotations

import json
import statistics
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "DEFAULT_CORPUS_DIR",
    "CorpusPage",
    "PageScore",
    "Summary",
    "load_corpus",
    "score_page",
    "summarise",
    "text_key",
]

# ../shared/corpus/pages relative to the repository root (the layout the brief documents).
DEFAULT_CORPUS_DIR: Path = Path(__file__).resolve().parents[1].parent / "shared/corpus/pages"

SHINGLE = 12
SHINGLE_SHARE = 0.9
MIN_PRECISION_LINE = 20

# Curly, low and angle quotes and the apostrophe family all become one character before
# the key drops punctuation anyway; unifying first keeps NFKC from splitting any of them.
_QUOTES = str.maketrans(dict.fromkeys("‘’‚‛′`´", "'") | dict.fromkeys("“”„‟″«»", '"'))


def text_key(text: str) -> str:
    """Letters and digits only, NFKC-normalised and casefolded."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return "".join(ch for ch in text if ch.isalnum())


def _shingles(key: str) -> set[str]:
    return {key[i : i + SHINGLE] for i in range(max(len(key) - SHINGLE + 1, 1))}


def _occurs(key: str, haystack: str, haystack_shingles: set[str]) -> bool:
    if not key:
        return False
    if key in haystack:
        return True
    if len(key) < SHINGLE:
        return False
    own = _shingles(key)
    return len(own & haystack_shingles) >= SHINGLE_SHARE * len(own)


@dataclass(frozen=True)
class CorpusPage:
    """One page of the corpus: where its HTML is and what its body should be."""

    id: str
    publisher: str
    url: str
    language: str
    html_path: Path
    title: str
    body: tuple[str, ...]  # visible expected items, in reading order

    def read_html(self) -> str:
        # The corpus stores every page as UTF-8 whatever its <meta charset> says: decode
        # here and hand the cleaner a str, or lxml trusts the stale declaration.
        return self.html_path.read_text(encoding="utf-8")


def load_corpus(corpus_dir: Path = DEFAULT_CORPUS_DIR) -> list[CorpusPage]:
    """Every page listed in ``pages.jsonl``; raises FileNotFoundError if it is absent."""
    pages: list[CorpusPage] = []
    with (corpus_dir / "pages.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            visible = row.get("body_visible") or [True] * len(row["body"])
            seen_items = zip(row["body"], visible, strict=True)
            pages.append(
                CorpusPage(
                    id=row["id"],
                    publisher=row["publisher"],
                    url=row["url"],
                    language=row["language"],
                    html_path=corpus_dir / row["file"],
                    title=row["title"],
                    body=tuple(item for item, seen in seen_items if seen),
                )
            )
    return pages


@dataclass(frozen=True)
class PageScore:
    recall: float
    precision: float
    output_chars: int

    @property
    def f1(self) -> float:
        total = self.recall + self.precision
        return 2 * self.recall * self.precision / total if total else 0.0

    @property
    def empty(self) -> bool:
        return self.output_chars == 0


def score_page(output: str, page: CorpusPage) -> PageScore:
    """Body recall and precision of one cleaner's ``output`` (one paragraph per line)."""
    out_key = text_key(output)
    out_shingles = _shingles(out_key) if out_key else set()
    found = sum(_occurs(text_key(item), out_key, out_shingles) for item in page.body)
    recall = found / len(page.body) if page.body else 1.0

    expected_key = text_key(" ".join((page.title, *page.body)))
    expected_shingles = _shingles(expected_key)
    lines = [line for line in output.splitlines() if len(line.strip()) > MIN_PRECISION_LINE]
    if lines:
        right = sum(_occurs(text_key(line), expected_key, expected_shingles) for line in lines)
        precision = right / len(lines)
    else:
        # Nothing long enough to judge: vacuously precise if something came out, and an
        # empty output earns nothing.
        precision = 1.0 if output.strip() else 0.0
    return PageScore(recall=recall, precision=precision, output_chars=len(output.strip()))


@dataclass(frozen=True)
class Summary:
    pages: int
    median_recall: float
    mean_recall: float
    median_precision: float
    mean_precision: float
    median_f1: float
    mean_f1: float
    empty: int


def summarise(scores: Iterable[PageScore]) -> Summary:
    scored = list(scores)
    if not scored:
        raise ValueError("no pages to summarise")
    recall = [s.recall for s in scored]
    precision = [s.precision for s in scored]
    f1 = [s.f1 for s in scored]
    return Summary(
        pages=len(scored),
        median_recall=statistics.median(recall),
        mean_recall=statistics.fmean(recall),
        median_precision=statistics.median(precision),
        mean_precision=statistics.fmean(precision),
        median_f1=statistics.median(f1),
        mean_f1=statistics.fmean(f1),
        empty=sum(s.empty for s in scored),
    )


def by_publisher(pages: Iterable[CorpusPage]) -> Iterator[tuple[str, list[CorpusPage]]]:
    """Pages grouped by publisher, publishers in alphabetical order."""
    groups: dict[str, list[CorpusPage]] = {}
    for page in pages:
        groups.setdefault(page.publisher, []).append(page)
    for publisher in sorted(groups, key=str.casefold):
        yield publisher, groups[publisher]
