"""Specification of the cleaner (pipeline/clean.py).

Checked against the bundled sample site (pages read straight from disk, no server;
``expected.json`` says, for each page, which paragraphs make up the article body and which
boilerplate strings must not survive cleaning), against hard layouts written here, and
against the shared corpus of real pages (``../shared/corpus/pages``, read at run time;
skipped with a reason when it is absent).
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
import os
import statistics
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import lxml.html
import pytest
import trafilatura

from pipeline.clean import CLEANER_VERSION, clean_page, clean_text, load_hints
from pipeline.clean_score import (
    DEFAULT_CORPUS_DIR,
    CorpusPage,
    PageScore,
    load_corpus,
    score_page,
    text_key,
)
from pipeline.records import CleanArticle
from pipeline.samplesite import SITE_DIR, load_expected
from pipeline.sources import load_sources

REPO_ROOT = Path(__file__).resolve().parents[1]

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


# --- Hints never remove the page -----------------------------------------------------------

STORY = [
    "The foreign ministers of Libya and Türkiye met in Tripoli on Thursday to prepare a visit"
    " by the Turkish president, officials said after the talks.",
    "They also discussed flights between the two countries and the reopening of consulates in"
    " the south of Libya, according to a joint statement.",
    "A further round of talks on maritime boundaries is planned in Ankara next month, the"
    " statement added, without giving a date.",
]


def story_page(*, html_class: str = "", body_class: str = "", wrapper: str = "div") -> str:
    """A plain article page whose holders carry the given classes."""
    paragraphs = "".join(f"<p>{p}</p>" for p in STORY)
    return f"""<html lang="en" class="{html_class}"><head><title>Ministers meet</title></head>
<body class="{body_class}"><header><nav><a href="/">Home</a></nav></header>
<{wrapper} class="story-holder"><h1>Ministers meet</h1>{paragraphs}</{wrapper}>
<footer>Example News 2025</footer></body></html>"""


@pytest.mark.parametrize(
    "holder",
    [
        # Class lists of real layouts whose words the generic substring selectors contain.
        {"body_class": "page subType-unsubscribed mm-use-consent-manager has-cookie-bar"},
        {"body_class": "single-post has-mobile-share sidebar-right"},
        {"body_class": "segment--recommended"},
        {"body_class": "newsletter-signup-open related-content-on"},
        {"html_class": "js social-share-enabled cookie-consent-pending"},
    ],
)
def test_a_selector_matching_the_page_itself_removes_nothing(holder: dict[str, str]) -> None:
    assert clean_page(story_page(**holder)).text.split("\n") == STORY


@pytest.mark.parametrize("wrapper", ["main", "article", "section", "div"])
def test_the_element_holding_the_story_is_never_removed(wrapper: str) -> None:
    # The wrapper's class matches [class*=share] and [class*=social]; it holds the story.
    page = story_page(wrapper=wrapper).replace("story-holder", "post-share-container social")
    assert clean_page(page).text.split("\n") == STORY


def test_small_widgets_inside_the_story_are_still_removed() -> None:
    paragraphs = [f"<p>{p}</p>" for p in STORY]
    page = story_page(body_class="mm-use-consent-manager").replace(
        paragraphs[1],
        paragraphs[1] + '<div class="share-bar"><p>Share this story on every network you'
        " use today</p></div>",
    )
    assert clean_page(page).text.split("\n") == STORY


# --- Line patterns: disclaimers, labels, credits ----------------------------------------------


def test_subscriber_disclaimers_of_news_agencies_are_dropped() -> None:
    text = "\n".join(
        [
            STORY[0],
            "Northwind Wire's site shows only a selection of the news stories offered to"
            " subscribers of its wire service, abridged.",
            "Please contact us for subscription prices and packages.",
            "Bu sitede, ajansın abonelere sunulan haberler arasından seçilenler kısaltılarak"
            " yer alır.",
            STORY[1],
        ]
    )
    assert clean_text(text).split("\n") == STORY[:2]


def test_sentences_about_subscribers_in_the_news_are_kept() -> None:
    text = (
        "The broadcaster said a portion of its subscribers had cancelled after the price rise.\n"
        "Reports offered by the ministry were shared with parliament on Monday."
    )
    assert clean_text(text) == text


def test_capital_labels_go_above_the_story_and_stay_inside_it() -> None:
    text = f"MIDDLE EAST\n{STORY[0]}\nWHAT HAPPENS NEXT\n{STORY[1]}"
    assert clean_text(text).split("\n") == [STORY[0], "WHAT HAPPENS NEXT", STORY[1]]


def test_a_sentence_naming_a_street_corner_is_not_a_photo_credit() -> None:
    street = "Runners gathered from eight o'clock at the corner of Harbour Road / Mill Lane."
    assert clean_text(street) == street
    assert clean_text("Ministers shake hands before the talks. / TRT Haber") == ""


# --- Outlet hints ------------------------------------------------------------------------------


def test_every_shipped_outlet_has_an_entry_in_the_hints() -> None:
    hints = load_hints()
    for source in load_sources(REPO_ROOT / "crawlers" / "sources.yaml"):
        for domain in source.allowed_domains or []:
            outlet = hints.outlet_for(f"https://www.{domain}/some/article")
            assert outlet is not None, f"{source.name}: no outlet entry covers {domain}"


def test_anadolu_share_label_and_subscriber_footer_are_dropped() -> None:
    paragraphs = "".join(f"<p>{p}</p>" for p in STORY)
    page = f"""<html lang="en"><head><title>Ministers meet</title></head><body>
<main id="main-content"></main><div class="shell"><div dir="ltr" class="prose">{paragraphs}
<p>Share News</p></div></div>
<footer><p class="caustenRegular text-sm text-shareNewsTextColor">Our agency publishes only
part of the stories sent to subscribers.</p><p>Subscription Transactions</p></footer>
</body></html>"""
    text = clean_page(page, "https://www.aa.com.tr/en/world/ministers-meet/1").text
    assert text.split("\n") == STORY


def test_al_jazeera_recommended_box_inside_the_story_never_reaches_the_text() -> None:
    other = "Egypt's president receives Sudanese army chief in Cairo for border talks"
    page = f"""<html lang="en"><head><title>Ministers meet</title></head><body><main>
<div class="wysiwyg wysiwyg--all-content"><p>{STORY[0]}</p>
<div class="more-on"><h2>Recommended Stories</h2><span class="screen-reader-text">list of 3
items</span><ul><li><a href="/news/a">{other}</a></li></ul><span
class="screen-reader-text">end of list</span></div>
<p>{STORY[1]}</p><div class="container--ads"><p>Advertisement</p></div><p>{STORY[2]}</p>
</div></main></body></html>"""
    text = clean_page(page, "https://www.aljazeera.com/news/2025/6/3/ministers-meet").text
    assert text.split("\n") == STORY


def test_al_jazeera_list_labels_and_consent_footer_are_dropped() -> None:
    outlet = load_hints().outlet_for("https://www.aljazeera.com/news/2025/6/3/ministers-meet")
    assert outlet is not None and outlet.name == "Al Jazeera"
    text = "\n".join(
        [
            STORY[0],
            "Recommended Stories",
            "list of 4 items",
            "end of list",
            STORY[1],
            "You rely on Al Jazeera for truth and transparency, so we ask for your consent to",
        ]
    )
    assert clean_text(text, outlet=outlet).split("\n") == STORY[:2]
    # The same labels on another outlet's page are left to the generic patterns.
    assert "end of list" in clean_text(text)


def test_reuters_hidden_link_label_does_not_land_mid_sentence() -> None:
    page = f"""<html lang="en"><head><title>Ministers meet</title></head><body><article>
<div data-testid="paragraph-0">{STORY[0]}</div>
<div data-testid="paragraph-1">The ministry said <a href="https://example.org/s">in a
statement<span style="clip:rect(0 0 0 0)">, opens new tab</span></a> that the talks went well
and would continue in the spring.</div>
<div data-testid="paragraph-2">{STORY[2]}</div></article></body></html>"""
    text = clean_page(page, "https://www.reuters.com/world/africa/ministers-2025-06-03/").text
    assert "opens new tab" not in text
    assert "The ministry said in a statement that the talks went well" in " ".join(text.split())


# --- The safety net ------------------------------------------------------------------------------


def test_a_layout_that_fools_the_cleaner_falls_back_to_stock_trafilatura(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # A short block with a class trafilatura looks for first ("article-content"), then the
    # story in plain containers: the tuned run takes the short block alone.
    paragraphs = "".join(f"<p>{p}</p>" for p in STORY * 3)
    page = f"""<html lang="en"><head><title>Ministers meet</title></head><body>
<div class="article-content"><p>Listen to this story.</p></div>
<div class="columns"><div>{paragraphs}</div></div></body></html>"""
    with caplog.at_level(logging.WARNING, logger="pipeline.clean"):
        text = clean_page(page, "https://www.aa.com.tr/en/world/ministers-meet/2").text
    assert all(p in text.split("\n") for p in STORY)
    assert "misfired on Anadolu Agency" in caplog.text


# --- Scoring (pipeline/clean_score.py) -----------------------------------------------------------


def scored(output: str, body: list[str], title: str = "Ministers meet") -> PageScore:
    page = CorpusPage("x-1", "X", "https://x.test/", "en", Path("x"), title, tuple(body))
    return score_page(output, page)


def test_score_key_ignores_case_spacing_punctuation_and_quote_style() -> None:
    assert text_key("“Ministers” met —  in TRIPOLI.") == text_key('"ministers" met in Tripoli')


def test_score_counts_body_items_found_and_lines_that_belong() -> None:
    output = "\n".join([STORY[0], STORY[1].upper(), "Sign up for our morning newsletter today"])
    score = scored(output, STORY)
    assert score.recall == pytest.approx(2 / 3)
    assert score.precision == pytest.approx(2 / 3)
    assert scored("", STORY).empty and scored("", STORY).f1 == 0.0


def test_score_finds_an_item_despite_a_small_difference() -> None:
    item = " ".join(STORY)
    changed = item.replace("officials said", "officials told reporters")
    assert scored(changed, [item]).recall == 1.0
    assert scored(STORY[0], [item]).recall == 0.0  # a third of it is not "found"


# --- Real pages (../shared/corpus/pages) ---------------------------------------------------------


def score_both(page: CorpusPage) -> tuple[str, PageScore, PageScore]:
    """Our cleaner's and stock trafilatura's scores on one real page."""
    html = page.read_html()
    ours = score_page(clean_page(html, page.url).text, page)
    stock = score_page(trafilatura.extract(html, url=page.url) or "", page)
    return page.id, ours, stock


@pytest.fixture(scope="module")
def real_pages() -> tuple[list[CorpusPage], dict[str, PageScore], dict[str, PageScore]]:
    """One pass over the corpus: our cleaner and stock trafilatura, scored per page.

    The pages are shared out to one worker process per core (forked: they inherit the
    loaded hints and trafilatura).
    """
    try:
        pages = load_corpus()
    except FileNotFoundError:
        pytest.skip(f"shared page corpus absent ({DEFAULT_CORPUS_DIR}/pages.jsonl)")
    workers = min(2, os.cpu_count() or 1)
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        results = list(pool.map(score_both, pages, chunksize=8))
    ours = {page_id: score for page_id, score, _ in results}
    stock = {page_id: score for page_id, _, score in results}
    return pages, ours, stock


def test_no_real_page_is_emptied_where_stock_trafilatura_keeps_a_body(real_pages) -> None:
    pages, ours, stock = real_pages
    emptied = [p.id for p in pages if ours[p.id].empty and not stock[p.id].empty]
    assert not emptied


def test_no_real_page_loses_a_quarter_of_the_body_stock_trafilatura_keeps(real_pages) -> None:
    pages, ours, stock = real_pages
    lost = {
        p.id: (round(ours[p.id].recall, 2), round(stock[p.id].recall, 2))
        for p in pages
        if ours[p.id].recall < stock[p.id].recall - 0.25
    }
    assert not lost, f"body recall (ours, stock): {lost}"


def test_f1_on_real_pages_is_not_below_stock_trafilaturas(real_pages) -> None:
    pages, ours, stock = real_pages
    ours_f1 = statistics.fmean(ours[p.id].f1 for p in pages)
    stock_f1 = statistics.fmean(stock[p.id].f1 for p in pages)
    assert ours_f1 >= stock_f1, f"mean F1: ours {ours_f1:.3f}, stock trafilatura {stock_f1:.3f}"


def test_median_body_recall_and_precision_on_real_pages(real_pages) -> None:
    pages, ours, _ = real_pages
    assert statistics.median(ours[p.id].recall for p in pages) >= 0.98
    assert statistics.median(ours[p.id].precision for p in pages) >= 0.95
