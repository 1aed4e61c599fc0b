"""Specification of the cleaner (pipeline/clean.py), checked against the bundled sample site.

The sample pages are read straight from disk (no server); ``expected.json`` says, for each
page, which paragraphs make up the article body and which boilerplate strings must not
survive cleaning.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from pipeline.clean import CLEANER_VERSION, clean_page, clean_text, load_hints
from pipeline.records import CleanArticle
from pipeline.samplesite import SITE_DIR, load_expected

BASE_URL = "http://news.example.test"
EXPECTED: dict[str, Any] = load_expected()
PAGES: list[str] = sorted(EXPECTED)
TRT_PAGES: list[str] = [p for p in PAGES if p.startswith("trt/")]


def read_page(path: str) -> str:
    """A sample page as the crawler would see it when the site runs at ``BASE_URL``."""
    return (SITE_DIR / path).read_text(encoding="utf-8").replace("{{BASE_URL}}", BASE_URL)


@pytest.fixture(scope="module")
def cleaned() -> dict[str, CleanArticle]:
    """Every sample page cleaned once (trafilatura is not free)."""
    return {path: clean_page(read_page(path), f"{BASE_URL}/{path}") for path in PAGES}


# --- The article body: every paragraph in, nothing else --------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_every_body_paragraph_survives_as_its_own_line(
    cleaned: dict[str, CleanArticle], path: str
) -> None:
    lines = cleaned[path].text.split("\n")
    for paragraph in EXPECTED[path]["paragraphs"]:
        assert paragraph in lines, f"{path}: lost paragraph {paragraph!r}"


@pytest.mark.parametrize("path", PAGES)
def test_text_is_exactly_the_body_paragraphs_in_order(
    cleaned: dict[str, CleanArticle], path: str
) -> None:
    assert cleaned[path].text.split("\n") == EXPECTED[path]["paragraphs"]


@pytest.mark.parametrize("path", PAGES)
def test_no_boilerplate_survives(cleaned: dict[str, CleanArticle], path: str) -> None:
    text = cleaned[path].text
    leaked = [b for b in EXPECTED[path]["boilerplate"] if b in text]
    assert not leaked, f"{path}: boilerplate leaked into text: {leaked}"


@pytest.mark.parametrize("path", TRT_PAGES)
def test_explore_headlines_never_reach_the_text(
    cleaned: dict[str, CleanArticle], path: str
) -> None:
    # Read the headlines from the page itself, not from expected.json: the aside's
    # other stories (some look like Libya–Türkiye events) must never become body text.
    tree = lxml.html.fromstring(read_page(path))
    headlines = [a.text_content().strip() for a in tree.cssselect("aside.explore li a")]
    assert len(headlines) >= 10
    for headline in headlines:
        assert headline not in cleaned[path].text


def test_sample_pages_exercise_short_and_quoted_paragraphs() -> None:
    # Guards the fixture itself: the body checks above are only meaningful if the
    # sample pages contain the paragraphs extractors like to drop.
    paragraphs = [p for page in EXPECTED.values() for p in page["paragraphs"]]
    assert any(len(p) < 40 for p in paragraphs)
    assert any(p.startswith("“") for p in paragraphs)


# --- Metadata ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_title_and_publication_date(cleaned: dict[str, CleanArticle], path: str) -> None:
    article = cleaned[path]
    assert article.title == EXPECTED[path]["title"]
    assert article.published == dt.date.fromisoformat(EXPECTED[path]["published"])


@pytest.mark.parametrize("path", PAGES)
def test_language_sitename_and_canonical_url(cleaned: dict[str, CleanArticle], path: str) -> None:
    article = cleaned[path]
    # from <html lang="en"> / <html lang="en-US"> / <html lang="tr">
    assert article.language == ("tr" if path.startswith("aa/tr/") else "en")
    assert article.sitename in {
        "TRT World",
        "WireReport",
        "The Libya Observer",
        "Anadolu Agency",
        "Anadolu Ajansı",
    }
    assert article.canonical_url == f"{BASE_URL}/{path}"


def test_wire_byline_becomes_author(cleaned: dict[str, CleanArticle]) -> None:
    article = cleaned["wire/world/africa/erdogan-menfi-phone-call.html"]
    assert article.author == "Selin Kaya"


def test_date_from_time_element_when_there_is_no_meta_date() -> None:
    html = """<html lang="en"><head><title>Talks in Tripoli</title></head><body>
      <article><h1>Talks in Tripoli</h1>
      <time datetime="2025-06-03T10:00:00+02:00">3 June</time>
      <p>Officials from both governments met in Tripoli to review a list of joint projects
      in energy, construction and health, a government statement said.</p>
      <p>The next round is planned for the autumn in Ankara, the statement added.</p>
      </article></body></html>"""
    assert clean_page(html).published == dt.date(2025, 6, 3)


def test_date_from_article_published_time_meta() -> None:
    html = """<html lang="en"><head><title>Talks</title>
      <meta property="article:published_time" content="2024-11-20T08:00:00Z"></head>
      <body><article><p>Officials from both governments met to review a list of joint
      projects in energy, construction and health, a government statement said.</p>
      </article></body></html>"""
    assert clean_page(html).published == dt.date(2024, 11, 20)


# --- Plain-text input ----------------------------------------------------------------------

PLAIN_TEXT = """TÜRKİYE
2 min read
Ministers review energy projects in Tripoli
Ministers review energy projects in Tripoli
The energy ministers of both countries inspect a power plant near Tripoli. / TRT Haber
June 3, 2025

Energy ministers from Türkiye and Libya reviewed joint power projects in Tripoli on Tuesday.

“We want results before winter,” one of them said.

RECOMMENDED

Officials said the talks were related to grid repairs after last year's floods.

A source close to the talks said they lasted three hours.
RelatedTRT Global - Libya signs grid deal with regional partners
SOURCE:TRT World
Reporting by Jane Doe; Editing by John Roe
The Africa Briefing newsletter brings the week's main stories. Sign up here.
This website uses cookies to improve your experience. Accept Read More
Explore
Turkish and Syrian foreign ministers discuss Aleppo in Ankara
Libya's Dbeibah receives Turkish energy delegation in Tripoli
"""

PLAIN_BODY = [
    "Energy ministers from Türkiye and Libya reviewed joint power projects in Tripoli on Tuesday.",
    "“We want results before winter,” one of them said.",
    "Officials said the talks were related to grid repairs after last year's floods.",
    "A source close to the talks said they lasted three hours.",
]


def test_plain_text_keeps_only_body_paragraphs() -> None:
    title = "Ministers review energy projects in Tripoli"
    assert clean_text(PLAIN_TEXT, title=title).split("\n") == PLAIN_BODY


def test_plain_text_without_title_keeps_the_first_headline_only() -> None:
    # Without a title the headline cannot be recognised, but its repeat is a duplicate.
    lines = clean_text(PLAIN_TEXT).split("\n")
    assert lines == ["Ministers review energy projects in Tripoli", *PLAIN_BODY]


def test_plain_text_lines_that_merely_mention_boilerplate_words_survive() -> None:
    # Line patterns are anchored: "related", "source", "cookies" inside a sentence are fine.
    text = (
        "The visit is related to the 2020 security accord.\n"
        "Source: AA\n"
        "Sources said the delegation would also discuss cookies and other food exports.\n"
    )
    assert clean_text(text).split("\n") == [
        "The visit is related to the 2020 security accord.",
        "Sources said the delegation would also discuss cookies and other food exports.",
    ]


def test_plain_text_whitespace_is_normalised() -> None:
    assert clean_text("  Two   ministers\tmet.  \n\n\n  They   spoke. ") == (
        "Two ministers met.\nThey spoke."
    )


# --- Generic selectors and short pages ----------------------------------------------------

WIDGETS_PAGE = """<html lang="en"><head><title>Ministers meet in Tripoli</title></head><body>
<article><h1>Ministers meet in Tripoli</h1><div class="story-body">
<p>The foreign ministers of Libya and Türkiye met in Tripoli on Thursday to prepare a visit
by the Turkish president, officials said.</p>
<div class="explore-grid"><p>Turkish and Syrian foreign ministers discuss the situation
around Aleppo</p></div>
<div class="recommended-box"><p>Türkiye and Libya look at new avenues for defence
cooperation next year</p></div>
<p class="photo-credit">Delegations meet in Tripoli during the official talks on Thursday
morning</p>
<section class="most-read"><p>Erdogan hosts Iraqi prime minister for water and energy talks
in Ankara</p></section>
<div class="trending-now"><p>Lebanon's president receives Turkish trade delegation in Beirut
today</p></div>
<p>They also discussed flights between the two countries and the reopening of consulates in
the south of Libya.</p>
</div></article></body></html>"""


def test_generic_selectors_remove_in_body_widgets_trafilatura_keeps() -> None:
    # Each of these blocks survives trafilatura alone (checked when writing this test);
    # the generic selectors in cleaning_hints.yaml must remove them.
    assert clean_page(WIDGETS_PAGE).text.split("\n") == [
        "The foreign ministers of Libya and Türkiye met in Tripoli on Thursday to prepare a"
        " visit by the Turkish president, officials said.",
        "They also discussed flights between the two countries and the reopening of"
        " consulates in the south of Libya.",
    ]


def test_short_page_keeps_one_paragraph_per_line() -> None:
    # trafilatura prunes the widget itself, the body left is under its default 250
    # characters, and its "baseline" fallback then glues headline, widget and paragraphs
    # into ONE line. The cleaner must keep the paragraphs apart and the widget out.
    html = """<html lang="en"><head><title>Ministers meet in Tripoli</title></head><body>
      <article><h1>Ministers meet in Tripoli</h1><div class="story-body">
      <p>The foreign ministers of Libya and Türkiye met in Tripoli on Thursday to prepare a
      visit by the Turkish president, officials said.</p>
      <div class="widget"><p>Get the best of our reporting in your inbox every morning</p></div>
      <p>They also discussed flights between the two countries.</p>
      </div></article></body></html>"""
    assert clean_page(html).text.split("\n") == [
        "The foreign ministers of Libya and Türkiye met in Tripoli on Thursday to prepare a"
        " visit by the Turkish president, officials said.",
        "They also discussed flights between the two countries.",
    ]


# --- Per-source selectors, odd input ---------------------------------------------------------

PROMO_PAGE = """<html lang="en"><head><title>Delegation visits Misrata</title></head>
<body><article><h1>Delegation visits Misrata</h1><div class="story">
<p>A Turkish trade delegation visited Misrata port on Sunday to discuss new shipping
routes with local business leaders and the port authority, organisers said.</p>
<p class="zz-live">Watch our live coverage from Misrata all day long on channel nine</p>
<p>The delegation is due to travel on to Tripoli later in the week for further talks
with the economy ministry, according to the programme.</p>
</div></article></body></html>"""


def test_per_source_drop_selectors_remove_site_specific_blocks() -> None:
    promo = "Watch our live coverage"
    assert promo in clean_page(PROMO_PAGE).text  # a neutral class: generic hints miss it
    cleaned = clean_page(PROMO_PAGE, drop_selectors=["p.zz-live"])
    assert promo not in cleaned.text
    assert "A Turkish trade delegation visited Misrata port" in cleaned.text
    assert "The delegation is due to travel on to Tripoli" in cleaned.text


def test_invalid_drop_selector_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="invalid CSS selector"):
        clean_page(PROMO_PAGE, drop_selectors=["p[[["])


def test_page_without_article_body_gives_empty_text() -> None:
    html = """<html lang="en"><head><title>Section index</title></head><body>
      <nav><a href="/a">World</a> <a href="/b">Sport</a></nav>
      <div id="cookie-banner">This website uses cookies. Accept Read More</div>
      <footer>© 2025 Example News</footer></body></html>"""
    article = clean_page(html, "http://news.example.test/world/")
    assert article.text == ""
    assert article.title == "Section index"


@pytest.mark.parametrize("html", ["", "   ", "not html at all", "<html></html>"])
def test_degenerate_input_does_not_crash(html: str) -> None:
    assert isinstance(clean_page(html), CleanArticle)


# --- The hints file ------------------------------------------------------------------------


def test_hints_are_loaded_once_and_nonempty() -> None:
    hints = load_hints()
    assert hints is load_hints()
    assert hints.drop_selectors and hints.drop_line_patterns and hints.stop_line_patterns
    assert "figcaption" in hints.drop_selectors


def test_cleaner_version_is_a_nonempty_string() -> None:
    assert isinstance(CLEANER_VERSION, str) and CLEANER_VERSION


def test_hints_file_ships_inside_the_package() -> None:
    import pipeline

    assert (Path(pipeline.__file__).parent / "data" / "cleaning_hints.yaml").is_file()
