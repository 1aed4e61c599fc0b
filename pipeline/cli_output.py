"""What the command line reads and prints: one page's analysis, the latest events."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rich.table import Table

from pipeline import db
from pipeline.alerts import SIDE_ORDER
from pipeline.records import PageAnalysis


def analyse_file(path: Path, *, url: str | None, published: dt.date | None) -> PageAnalysis:
    """What the pipeline makes of one page (HTML) or article text (plain), as ``extract``
    prints it: cleaned, its language detected, its contacts extracted."""
    from pipeline.clean import clean_page, clean_text, split_headline
    from pipeline.extract import analyse_page
    from pipeline.language import detect_language

    content = path.read_text(encoding="utf-8", errors="replace")
    if looks_like_html(content):
        article = clean_page(content, url)
        text, title, html_lang = article.text, article.title, article.language
        date = published or article.published
    else:
        title, text = split_headline(clean_text(content))
        html_lang = None
        date = published
    language = detect_language(text, html_lang=html_lang)
    return analyse_page(text, url=url, title=title, published=date, language=language)


def looks_like_html(content: str) -> bool:
    head = content.lstrip()[:1000].lower()
    return head.startswith("<") and (
        "<html" in head or "<!doctype" in head or "<body" in head or "<p" in head
    )


SIDE_TAGS = {"turkiye": "TR", "libya": "LY", "other": "··"}


def events_table(url: str, limit: int) -> Table:
    import sqlalchemy as sa

    table = Table(title=f"Latest {limit} events", title_justify="left")
    for column in ("id", "date", "type", "status"):
        table.add_column(column, no_wrap=True)
    table.add_column("place")
    table.add_column("participants")
    table.add_column("outlets", justify="right", no_wrap=True)
    with db.get_engine(url).connect() as conn:
        rows = conn.execute(
            sa.text("SELECT * FROM v_events ORDER BY event_date DESC NULLS LAST, id DESC LIMIT :n"),
            {"n": limit},
        ).mappings()
        for row in rows:
            people = "\n".join(
                f"{SIDE_TAGS.get(p['side'], '?')} {p['name']}"
                for p in sorted(row["participants"], key=lambda p: SIDE_ORDER.get(p["side"], 3))
            )
            table.add_row(
                str(row["id"]),
                str(row["event_date"] or "—"),
                row["type"],
                row["status"],
                row["location"] or row.get("country") or "—",
                people,
                str(row["source_count"]),
            )
    return table
