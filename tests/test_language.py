"""Language detection: whole-article detection, with fallbacks for short text."""

from __future__ import annotations

from pipeline.language import detect_language

ENGLISH = (
    "Turkish Foreign Minister Hakan Fidan met Libyan Prime Minister Abdulhamid Dbeibah in "
    "Ankara on Monday to discuss energy cooperation and the political process, the ministry "
    "said in a statement on its website."
)
TURKISH = (
    "Dışişleri Bakanı Hakan Fidan, Libya Ulusal Birlik Hükümeti Başbakanı Abdulhamid Dibeybe "
    "ile Ankara'da görüştü. Görüşmede ikili ilişkiler ve bölgesel gelişmeler ele alındı, "
    "bakanlık açıklamasında belirtildi."
)


def test_whole_articles() -> None:
    assert detect_language(ENGLISH) == "en"
    assert detect_language(TURKISH) == "tr"


def test_an_article_overrides_a_wrong_declaration() -> None:
    assert detect_language(TURKISH, html_lang="en") == "tr"


def test_short_text_falls_back_to_html_lang_then_source() -> None:
    assert detect_language("Kalin meets Haftar", html_lang="en-US") == "en"
    assert detect_language("Kalin meets Haftar", source_language="en") == "en"
    assert detect_language("Kalin meets Haftar") is None


def test_short_turkish_text_is_recognised_by_its_letters() -> None:
    assert detect_language("Fidan, Dibeybe ile görüştü", html_lang="en") == "tr"
