"""The cheap relevance filter needs both sides, officials, and more than a passing word."""

from __future__ import annotations

from pipeline.relevance import is_relevant


def test_contact_between_the_two_sides_is_relevant() -> None:
    text = (
        "Turkish Foreign Minister Hakan Fidan arrived in Tripoli on a working visit. "
        "He held talks with Libyan Prime Minister Abdulhamid Dbeibah on energy and security."
    )
    assert is_relevant(text)


def test_title_counts_double() -> None:
    assert is_relevant(
        "Officials discussed the port project.", title="Fidan meets Dbeibah in Tripoli"
    )


def test_one_side_only_is_not_relevant() -> None:
    text = (
        "Turkish Foreign Minister Hakan Fidan received his Syrian counterpart in Ankara. "
        "The ministers discussed border security and refugees."
    )
    assert not is_relevant(text)


def test_libya_egypt_story_with_a_passing_turkey_is_not_relevant() -> None:
    text = (
        "Egyptian President Abdel Fattah al-Sisi received Khalifa Haftar in Cairo. "
        "The Libyan commander discussed border security with his hosts. "
        "Turkey backs the rival government in the west."
    )
    assert not is_relevant(text)


def test_football_between_the_two_countries_is_not_relevant() -> None:
    text = (
        "Türkiye's national team beat Libya 2-0 in a friendly in Antalya. "
        "The coach praised his squad, and the match drew a big crowd to the stadium. "
        "Libya's players will stay in Türkiye for a training camp."
    )
    assert not is_relevant(text, title="Türkiye beat Libya in Antalya friendly")


def test_long_unrelated_text_with_passing_mentions_is_not_relevant() -> None:
    filler = "The central bank raised rates again as inflation stayed high. " * 80
    text = filler + "A Turkish official said the Libyan market was also watched."
    assert not is_relevant(text)


def test_empty_text() -> None:
    assert not is_relevant("")


def test_a_short_item_naming_each_side_once_through_an_official_is_relevant() -> None:
    assert is_relevant("Erdogan received Dbeibah at the Vahdettin Mansion in Istanbul on Saturday.")
    assert is_relevant(
        "Libyan Interior Minister Emad Trabelsi and Turkish Interior Minister Ali Yerlikaya "
        "signed a security protocol in Ankara."
    )


def test_demonyms_alone_are_still_not_enough() -> None:
    assert not is_relevant("Turkish and Libyan fans filled the stadium for the friendly.")


def test_turkish_language_relevance() -> None:
    assert is_relevant("Cumhurbaşkanı Erdoğan, Libya Başbakanı Dibeybe ile telefonda görüştü.")


def test_an_unnamed_counterpart_is_an_official_of_his_side() -> None:
    # "his Libyan counterpart": the other side speaks through an office, not a demonym
    assert is_relevant("Hakan Fidan received his Libyan counterpart in Antalya on Friday.")
    assert not is_relevant("Hakan Fidan spoke of Libyan oil in Antalya on Friday.")


def test_a_turkish_office_after_the_country_is_an_official_of_that_side() -> None:
    # an office the gazetteer does not list, told after the country's name
    assert is_relevant(
        "Libya Planlama Bakanlığı Müsteşarı, Büyükelçi Güven Begeç'i makamında kabul etti."
    )


def test_a_listed_person_in_a_spelling_the_gazetteer_lacks_counts_for_his_side() -> None:
    # a transliteration no alias lists, read by its consonants as a former council head
    assert is_relevant(
        "Dışişleri Bakanı Hakan Fidan, dün Ankara'da Abdurrahman Sevehli'yi ağırladı."
    )
    assert is_relevant("Dışişleri Bakanı Hakan Fidan, dün Ankara'da Muhammed el-Menfy'yi ağırladı.")
