"""Turkish extraction with the rules alone against a morphology package's lemmas (not a test).

    uv run --extra turkish-nlp python bench/bench_turkish_nlp.py [FILE]   # default: realnews dev

Runs the Turkish records of an annotated file (the realnews format) through the real
relevance filter and extractor (``pipeline.evaluate``) once per value of the setting
``turkish_morphology`` — ``rules``, ``spacy-lookups``, ``snowball``
(pipeline/extract/turkish_morphology.py) — and prints, for each, Turkish precision,
recall and date accuracy, the seconds the package takes to load, and articles per second
of Turkish extraction alone (after the load, best of a few rounds: the machine is noisy).
A variant whose package is not installed is skipped with a line saying so. ``--no-sync``
keeps ``uv run`` from uninstalling packages the lock file does not list.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import tempfile
import time
from pathlib import Path

from pipeline.evaluate import evaluate, load_dataset
from pipeline.extract.turkish import extract_turkish_events
from pipeline.extract.turkish_morphology import MORPHOLOGIES, Morphology, lemmatiser
from pipeline.settings import get_settings

REALNEWS_DEV = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "realnews" / "dev.jsonl"
PACKAGES: dict[Morphology, str | None] = {
    "rules": None,
    "spacy-lookups": "spacy_lookups_data",
    "snowball": "snowballstemmer",
}


def _turkish_only(source: Path, target: Path) -> int:
    lines = [
        line
        for line in source.read_text(encoding="utf-8").splitlines()
        if line.strip() and json.loads(line).get("language") == "tr"
    ]
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def _speed(path: Path, morphology: Morphology, rounds: int) -> float:
    items = load_dataset(path)
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for item in items:
            extract_turkish_events(
                item.text, published=item.published, title=item.title, morphology=morphology
            )
        best = min(best, time.perf_counter() - start)
    return len(items) / best


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", nargs="?", type=Path, default=REALNEWS_DEV)
    parser.add_argument("--rounds", type=int, default=5, help="timing rounds (best is kept)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        turkish = Path(folder) / "tr.jsonl"
        count = _turkish_only(args.dataset, turkish)
        print(f"{count} Turkish records of {args.dataset}")
        header = f"{'variant':<14} {'gold':>4} {'pred':>4} {'match':>5} {'prec':>6} {'recall':>6}"
        print(f"{header} {'date':>6} {'load s':>7} {'art/s':>7}")
        for morphology in MORPHOLOGIES:
            package = PACKAGES[morphology]
            if package is not None and importlib.util.find_spec(package) is None:
                print(f"{morphology:<14} skipped: {package} is not installed")
                continue
            os.environ["LTWATCH_TURKISH_MORPHOLOGY"] = morphology
            get_settings.cache_clear()
            start = time.perf_counter()
            if morphology != "rules":
                lemmatiser(morphology)
            load = time.perf_counter() - start
            report = evaluate(turkish)
            counts = report.by_language.get("tr")
            if counts is None:
                continue
            speed = _speed(turkish, morphology, args.rounds)
            print(
                f"{morphology:<14} {counts.gold:>4} {counts.predicted:>4} {counts.matched:>5} "
                f"{counts.precision:>6.3f} {counts.recall:>6.3f} {report.date_accuracy:>6.3f} "
                f"{load:>7.1f} {speed:>7.1f}"
            )
            for failure in report.failures:
                for miss in failure.misses:
                    print(f"    {failure.id}: {miss}")


if __name__ == "__main__":
    main()
