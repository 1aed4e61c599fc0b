"""Throughput of cleaning + relevance + extraction on a generated corpus (not a test).

    uv run python bench/bench_extract.py [--articles 2000] [--relevant-share 0.1]

Builds a deterministic corpus of HTML news pages (400–900 words of body text, site
chrome and related-headline lists around it; a tenth about Libya–Türkiye contacts, the
rest about other foreign news that may name one of the two countries), then times
``clean_page`` → ``analyse_page`` over all of it in one process. Prints articles per
second per core (the loop is single-threaded, so one core) and peak resident memory.
The spaCy model is loaded before timing starts: a long-running worker loads it once.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import random
import resource
import sys
import time

from pipeline.clean import clean_page
from pipeline.extract import analyse_page
from pipeline.nlp import load_nlp

FILLER = [
    "Officials said the discussions would continue in the coming weeks.",
    "The central bank published new figures on foreign currency reserves.",
    "Analysts noted that oil output has recovered to around 1.3 million barrels a day.",
    "Local councils have struggled to pay salaries since the start of the year.",
    "The ministry did not respond to a request for comment.",
    "Prices of basic goods rose sharply in the capital last month.",
    "Diplomats in the region said the proposal had broad support.",
    "The electricity company warned of power cuts during the summer heat.",
    "Several schools reopened after repairs funded by international donors.",
    "Shipping companies reported delays at the port because of bad weather.",
    "A committee of experts will review the draft law before a vote.",
    "Observers said the security situation in the south remained fragile.",
]
OTHER_LEADS = [
    "Greek and Italian officials met in Rome on Monday to discuss migration routes across "
    "the central Mediterranean.",
    "Egypt's foreign minister held talks with his Sudanese counterpart in Cairo on Tuesday "
    "about the humanitarian situation.",
    "Turkish exporters reported a rise in shipments to European markets in the third quarter.",
    "The European Union announced new funding for water projects in North Africa.",
    "Oil prices rose on Wednesday after a drop in US inventories.",
]
RELEVANT_LEADS = [
    "Turkish Foreign Minister Hakan Fidan met Libyan Prime Minister Abdulhamid Dbeibah in "
    "Tripoli on Monday, the Libyan government said.",
    "President Recep Tayyip Erdogan spoke by phone with Mohamed al-Menfi, head of Libya's "
    "Presidential Council, on Tuesday.",
    "Turkish intelligence chief Ibrahim Kalin held talks with Khalifa Haftar in Benghazi on "
    "Sunday, security sources said.",
    "Defence Minister Yasar Guler is expected to visit Tripoli next week for talks with "
    "Libyan officials, sources said.",
]
HEADLINES = [
    "Erdogan meets Dbeibah in Istanbul",
    "Libya's parliament debates new budget",
    "Türkiye and Egypt discuss trade",
    "Markets steady as oil climbs",
]


def _body(rng: random.Random, lead: str, words: int) -> list[str]:
    paragraphs = [lead]
    count = len(lead.split())
    while count < words:
        paragraph = " ".join(rng.sample(FILLER, 3))
        paragraphs.append(paragraph)
        count += len(paragraph.split())
    return paragraphs


def make_page(i: int, rng: random.Random, relevant: bool) -> tuple[str, str]:
    lead = rng.choice(RELEVANT_LEADS if relevant else OTHER_LEADS)
    paragraphs = _body(rng, lead, rng.randint(400, 900))
    published = dt.date(2025, 1, 1) + dt.timedelta(days=i % 300)
    url = f"https://news.example.test/{published:%Y/%m/%d}/story-{i}.html"
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    related = "\n".join(f"<li><a href='/r{j}'>{h}</a></li>" for j, h in enumerate(HEADLINES))
    page = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Story {i}</title><meta property="og:title" content="Story {i}">
<meta property="article:published_time" content="{published}T10:00:00Z">
<link rel="canonical" href="{url}"></head><body>
<header><nav><ul><li><a href="/">Home</a></li>
<li><a href="/world">World</a></li></ul></nav></header>
<main><article><h1>Story {i}</h1>{body}</article>
<aside class="related"><h3>Related</h3><ul>{related}</ul></aside></main>
<footer><p>All rights reserved.</p></footer></body></html>"""
    return page, url


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--relevant-share", type=float, default=0.1)
    args = parser.parse_args(argv)
    rng = random.Random(1234)
    every = max(1, round(1 / args.relevant_share)) if args.relevant_share > 0 else 0
    corpus = [make_page(i, rng, bool(every) and i % every == 0) for i in range(args.articles)]
    load_nlp()  # loaded once per worker in production; keep it out of the timing
    relevant = events = 0
    start = time.perf_counter()
    cpu_start = time.process_time()
    for page, url in corpus:
        article = clean_page(page, url)
        analysis = analyse_page(
            article.text, url=url, title=article.title, published=article.published,
            language=article.language,
        )  # fmt: skip
        relevant += analysis.relevant
        events += len(analysis.events)
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    words = sum(len(p.split()) for p, _ in corpus) / len(corpus)
    print(f"articles: {len(corpus)} (~{words:.0f} words of HTML each), relevant: {relevant}, "
          f"events: {events}")  # fmt: skip
    print(f"wall: {wall:.1f} s, cpu: {cpu:.1f} s")
    print(f"throughput: {len(corpus) / cpu:.1f} articles/s/core (cpu time), "
          f"{len(corpus) / wall:.1f} articles/s wall")  # fmt: skip
    print(f"peak RSS: {peak_kib / 1024:.0f} MiB")


if __name__ == "__main__":
    main(sys.argv[1:])
