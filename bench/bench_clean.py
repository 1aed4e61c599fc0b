"""Cleaning quality and speed on real pages, ours against stock trafilatura (not a test).

    uv run python bench/bench_clean.py [--corpus ../shared/corpus/pages] [--repeat 3]
                                       [--no-per-publisher]

Runs three cleaners over every page of the shared page corpus (real article HTML with
ground-truth bodies; see its README), in the same process and interleaved page by page so
that machine load falls on all of them alike:

* ``ltwatch``: the project's cleaner, ``pipeline.clean.clean_page(html, url).text``;
* ``trafilatura``: stock ``trafilatura.extract(html, url=url)`` (its defaults);
* ``traf-precision``: stock ``trafilatura.extract(html, url=url, favor_precision=True)``;
* ``traf+metadata``: stock trafilatura with ``with_metadata=True`` (``bare_extraction``,
  its text), the same work as ours: title, date, author, site name besides the text.

Scores each output with :mod:`pipeline.clean_score` (body recall and precision per page,
the corpus README's suggested scoring) and prints them per publisher and overall (median
and mean, F1), the pages each cleaner empties where stock trafilatura keeps a body, and
pages per second (median of ``--repeat`` timed passes) with the ratio to stock
trafilatura. HTML files are read as UTF-8 and passed as ``str`` (the README explains why).
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import trafilatura

from pipeline.clean import clean_page
from pipeline.clean_score import (
    DEFAULT_CORPUS_DIR,
    CorpusPage,
    PageScore,
    by_publisher,
    load_corpus,
    score_page,
    summarise,
)

Cleaner = Callable[[str, str], str]


def _text_with_metadata(html: str, url: str) -> str:
    document = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    return (document.text or "") if document else ""


CLEANERS: dict[str, Cleaner] = {
    "ltwatch": lambda html, url: clean_page(html, url).text,
    "trafilatura": lambda html, url: trafilatura.extract(html, url=url) or "",
    "traf-precision": lambda html, url: (
        trafilatura.extract(html, url=url, favor_precision=True) or ""
    ),
    # Like for like in work done: ltwatch also extracts title, date, author, site name.
    "traf+metadata": lambda html, url: _text_with_metadata(html, url),
}
BASELINE = "trafilatura"


class _FallbackCounter(logging.Handler):
    """Counts the cleaner's "hints misfired" warnings (its fallback to stock trafilatura)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.pages: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        if "misfired" in record.getMessage():
            self.pages.add(str(record.args[1]) if record.args else "?")  # type: ignore[index]


def run(
    pages: list[CorpusPage], htmls: dict[str, str], repeat: int
) -> tuple[dict[str, dict[str, str]], dict[str, float]]:
    """Outputs of the first pass per cleaner and page, and median seconds per full pass."""
    names = list(CLEANERS)
    outputs: dict[str, dict[str, str]] = {name: {} for name in names}
    seconds: dict[str, list[float]] = {name: [] for name in names}
    for attempt in range(repeat):
        spent = dict.fromkeys(names, 0.0)
        for index, page in enumerate(pages):
            # Rotate the order so that no cleaner always runs on a cold (or warm) cache.
            shift = index % len(names)
            for name in names[shift:] + names[:shift]:
                start = time.perf_counter()
                text = CLEANERS[name](htmls[page.id], page.url)
                spent[name] += time.perf_counter() - start
                if attempt == 0:
                    outputs[name][page.id] = text
        for name in names:
            seconds[name].append(spent[name])
    return outputs, {name: statistics.median(s) for name, s in seconds.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS_DIR)
    parser.add_argument("--repeat", type=int, default=3, help="timed passes (median)")
    parser.add_argument("--no-per-publisher", action="store_true")
    args = parser.parse_args(argv)

    try:
        pages = load_corpus(args.corpus)
    except FileNotFoundError:
        print(f"no page corpus at {args.corpus} (expected pages.jsonl there)", file=sys.stderr)
        return 2
    htmls = {page.id: page.read_html() for page in pages}
    counter = _FallbackCounter()
    logging.getLogger("pipeline.clean").addHandler(counter)
    logging.getLogger("pipeline.clean").propagate = False

    outputs, seconds = run(pages, htmls, args.repeat)
    scores: dict[str, dict[str, PageScore]] = {
        name: {p.id: score_page(outputs[name][p.id], p) for p in pages} for name in CLEANERS
    }
    names = list(CLEANERS)

    if not args.no_per_publisher:
        header = f"{'publisher':24} {'pages':>5}" + "".join(f" {n + ' R/P':>18}" for n in names)
        print(header)
        for publisher, group in by_publisher(pages):
            row = f"{publisher[:24]:24} {len(group):>5}"
            for name in names:
                r = statistics.fmean(scores[name][p.id].recall for p in group)
                pr = statistics.fmean(scores[name][p.id].precision for p in group)
                row += f" {r:>8.3f} / {pr:<7.3f}"
            print(row)
        print()

    base_rate = len(pages) / seconds[BASELINE]
    kept_by_stock = {p.id for p in pages if not scores[BASELINE][p.id].empty}
    print(
        f"{len(pages)} pages, {len({p.publisher for p in pages})} publishers"
        f" ({args.corpus}); timing: median of {args.repeat} interleaved passes"
    )
    print(
        f"{'cleaner':15} {'recall med/mean':>16} {'precision med/mean':>19}"
        f" {'F1 med/mean':>14} {'emptied*':>8} {'pages/s':>8} {'vs traf.':>8}"
    )
    for name in names:
        s = summarise(scores[name].values())
        emptied = sum(scores[name][pid].empty for pid in kept_by_stock)
        rate = len(pages) / seconds[name]
        print(
            f"{name:15} {s.median_recall:>7.3f} / {s.mean_recall:<6.3f}"
            f" {s.median_precision:>8.3f} / {s.mean_precision:<8.3f}"
            f" {s.median_f1:>5.3f} / {s.mean_f1:<6.3f} {emptied:>8} {rate:>8.1f}"
            f" {rate / base_rate:>7.2f}x"
        )
    print("* emptied: pages with no output where stock trafilatura keeps a body")
    print(f"ltwatch fell back to stock trafilatura on {len(counter.pages)} page(s)")

    ours, stock = scores["ltwatch"], scores[BASELINE]
    worse = sorted(
        (p for p in pages if ours[p.id].f1 < stock[p.id].f1 - 0.1),
        key=lambda p: ours[p.id].f1 - stock[p.id].f1,
    )
    if worse:
        print("pages where ltwatch's F1 is more than 0.1 below stock trafilatura's:")
        for p in worse:
            print(f"  {p.id:28} ltwatch F1 {ours[p.id].f1:.3f}  trafilatura {stock[p.id].f1:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
