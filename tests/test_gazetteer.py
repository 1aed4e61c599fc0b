"""The gazetteer: spellings, shared surnames and offices resolved by text and date."""

from __future__ import annotations

import datetime as dt

from pipeline.gazetteer import load_gazetteer, normalise, normalise_name
from pipeline.transliteration import person_by_spelling


def _people(text: str, day: dt.date | None = None) -> list[str]:
    gaz = load_gazetteer()
    mentions = gaz.find_mentions(text)
    out = []
    for m in mentions:
        person = gaz.person_for_mention(m, nearby=text[m.end : m.end + 60], day=day)
        if person is not None:
            out.append(person.name)
    return out


def test_normalise_is_length_preserving_and_folds_turkish_letters() -> None:
    for text in ("İbrahim Kalın", "Yaşar Güler", "Mevlüt Çavuşoğlu", "al-Dbeibah’s"):
        assert len(normalise(text)) == len(text)
    assert normalise("İbrahim Kalın") == "ibrahim kalin"
    assert normalise_name("Mevlüt Çavuşoğlu") == "mevlut cavusoglu"


def test_spelling_variants_resolve_to_one_person() -> None:
    assert _people("Kalın and Kalin and İbrahim Kalın") == ["Ibrahim Kalin"] * 3
    assert _people("Erdoğan spoke to Dbeibeh") == ["Recep Tayyip Erdogan", "Abdulhamid Dbeibah"]
    assert _people("Mechri and al-Menfi and Mnefi") == [
        "Khaled al-Mishri",
        "Mohamed al-Menfi",
        "Mohamed al-Menfi",
    ]
    assert _people("Field Marshal Hifter") == ["Khalifa Haftar"]


def test_plain_surname_is_the_default_haftar_but_a_role_picks_the_son() -> None:
    assert _people("Officials met Hafter in the port city.") == ["Khalifa Haftar"]
    assert _people("They met Haftar, the deputy commander of the army.") == ["Saddam Haftar"]
    assert "Saddam Haftar" not in _people("Haftar")


def test_surname_resolved_by_full_name_elsewhere_in_the_article() -> None:
    gaz = load_gazetteer()
    mention = next(m for m in gaz.find_mentions("Haftar arrived.") if m.kind == "surname")
    person = gaz.resolve_surname(mention.key, article_person_ids={"haftar_saddam"})
    assert person is not None and person.name == "Saddam Haftar"


def test_role_phrases_resolve_by_date() -> None:
    assert _people("the Turkish foreign minister", dt.date(2024, 1, 10)) == ["Hakan Fidan"]
    assert _people("the Turkish foreign minister", dt.date(2021, 1, 10)) == ["Mevlut Cavusoglu"]
    # Two people held the office over time: without a date it stays unresolved.
    assert _people("the Turkish foreign minister") == []
    assert _people("the LNA commander", dt.date(2025, 1, 1)) == ["Khalifa Haftar"]


def test_roles_have_dates() -> None:
    gaz = load_gazetteer()
    kalin = gaz.people["kalin"]
    assert kalin.role_on(dt.date(2025, 8, 25)).startswith("Director of the National Intell")
    assert kalin.role_on(dt.date(2020, 1, 1)) == "Presidential Spokesperson"


def test_acronyms_are_case_sensitive() -> None:
    gaz = load_gazetteer()
    kinds = {m.text: m.kind for m in gaz.find_mentions("Let us meet at MIT, said the LNA.")}
    assert kinds == {"MIT": "institution", "LNA": "institution"}


def test_places_carry_their_country() -> None:
    gaz = load_gazetteer()
    places = [gaz.place_for_mention(m) for m in gaz.find_mentions("Bingazi, Trablus, Misurata")]
    assert [(p.name, p.country) for p in places if p] == [
        ("Benghazi", "Libya"),
        ("Tripoli", "Libya"),
        ("Misrata", "Libya"),
    ]


def test_libyan_people_have_a_camp_and_turkish_spellings_match() -> None:
    gaz = load_gazetteer()
    assert gaz.people["dbeibah"].camp == "tripoli"
    assert gaz.people["haftar_khalifa"].camp == "east"
    keys = {m.key: m.kind for m in gaz.find_mentions("Hafter'le Dibeybe ile Bingazi'de Trablus'ta")}
    assert keys == {
        "hafter": "surname",
        "dibeybe": "surname",
        "bingazi": "place",
        "trablus": "place",
    }


def test_turkish_office_titles_resolve_by_date() -> None:
    gaz = load_gazetteer()
    assert gaz.resolve_role_phrase("mit baskani", dt.date(2025, 8, 25)).id == "kalin"
    assert gaz.resolve_role_phrase("disisleri bakani", dt.date(2025, 8, 25)).id == "fidan"


# ------------------------------------------------------------------ the data file itself
def _raw_gazetteer() -> dict:
    import yaml

    from pipeline.gazetteer import GAZETTEER_PATH

    with GAZETTEER_PATH.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _span(entry: dict) -> tuple[dt.date, dt.date]:
    start, end = entry.get("from"), entry.get("to")
    return (start or dt.date.min, end or dt.date.max)


def test_one_office_phrase_never_names_two_people_on_the_same_day() -> None:
    # A title-only mention ("the Turkish foreign minister") must resolve to whoever held
    # the office that day: consecutive holders' phrase dates may touch but not overlap.
    from pipeline.gazetteer import _expand, alias_key

    raw = _raw_gazetteer()
    holders: dict[str, list[tuple[str, tuple[dt.date, dt.date]]]] = {}
    for person in raw["people"]:
        for rp in person.get("role_phrases", []):
            for phrase in _expand(rp["phrase"], raw["templates"]):
                holders.setdefault(alias_key(phrase), []).append((person["id"], _span(rp)))
    clashes = []
    for key, spans in holders.items():
        for i, (pid_a, (start_a, end_a)) in enumerate(spans):
            for pid_b, (start_b, end_b) in spans[i + 1 :]:
                if pid_a != pid_b and start_a < end_b and start_b < end_a:
                    clashes.append((key, pid_a, pid_b))
    assert clashes == []


def test_no_spelling_is_the_full_alias_of_two_people() -> None:
    from pipeline.gazetteer import alias_key

    owners: dict[str, set[str]] = {}
    for person in _raw_gazetteer()["people"]:
        for alias in [*person.get("aliases", []), person["name"]]:
            owners.setdefault(alias_key(alias), set()).add(person["id"])
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}


def test_role_dates_are_ordered() -> None:
    for person in _raw_gazetteer()["people"]:
        for entry in [*person.get("roles", []), *person.get("role_phrases", [])]:
            start, end = _span(entry)
            assert start < end, (person["id"], entry)


def test_arabic_script_and_turkish_transliterations_name_the_same_people() -> None:
    assert _people("عبد الحميد الدبيبة") == ["Abdulhamid Dbeibah"]
    assert _people("Abdulhamid ed-Dibeybe ve Necla Manguş") == [
        "Abdulhamid Dbeibah",
        "Najla Mangoush",
    ]
    assert _people("المشير خليفة حفتر") == ["Khalifa Haftar"]
    assert _people("هاكان فيدان") == ["Hakan Fidan"]


def test_turkish_chief_of_general_staff_follows_the_handovers() -> None:
    gaz = load_gazetteer()
    holder = {
        day: gaz.resolve_role_phrase("genelkurmay baskani", day)
        for day in (
            dt.date(2020, 5, 1),
            dt.date(2023, 7, 1),
            dt.date(2024, 5, 1),
            dt.date(2025, 9, 1),
        )
    }
    assert [p.id if p else None for p in holder.values()] == [
        "guler",
        "avsever",
        "gurak",
        "bayraktaroglu",
    ]


def test_libyan_chief_of_staff_is_unresolved_right_after_al_haddads_death() -> None:
    assert _people("the Libyan chief of staff", dt.date(2025, 6, 1)) == ["Mohammed al-Haddad"]
    assert _people("the Libyan chief of staff", dt.date(2025, 12, 27)) == []
    assert _people("the Libyan chief of staff", dt.date(2026, 3, 1)) == ["Salah al-Namroush"]


def test_a_foreign_office_written_in_turkish_is_not_turkiyes() -> None:
    gaz = load_gazetteer()
    (mention,) = gaz.find_mentions("Mısır Genelkurmay Başkanı")
    assert mention.kind == "institution"
    assert gaz.side_of_mention(mention) == "other"
    assert _people("Libya Sağlık Bakanı", dt.date(2025, 1, 1)) == []


def test_common_words_and_common_surnames_are_nobody() -> None:
    # "Yılmaz" is the most common Turkish surname; "kurum" and "dönmez" are words.
    assert _people("Ahmet Yılmaz, kurum adına konuştu; geri dönmez.", dt.date(2025, 1, 1)) == []


def test_press_spelling_families_resolve_to_the_listed_person() -> None:
    # Turkish-press forms (assimilated article, ş/ç/ğ), English variants and Arabic script.
    assert _people("Selahaddin en-Nemruş ile Halid Meşri görüştü") == [
        "Salah al-Namroush",
        "Khaled al-Mishri",
    ]
    assert _people("Abdulhameed Dbeibah received Fathi Bachagha and Abdulhadi Lahweej") == [
        "Abdulhamid Dbeibah",
        "Fathi Bashagha",
        "Abdulhadi al-Hweij",
    ]
    assert _people("عبد الحميد الدبيبه يستقبل فخر الدين قوجة") == [
        "Abdulhamid Dbeibah",
        "Fahrettin Koca",
    ]


def test_newly_listed_office_holders_are_told_apart_from_namesakes() -> None:
    gaz = load_gazetteer()
    assert _people("Hakan Çavuşoğlu and Mevlüt Çavuşoğlu") == [
        "Hakan Cavusoglu",
        "Mevlut Cavusoglu",
    ]
    assert _people("Youssef al-Mangoush, then Najla Mangoush") == [
        "Youssef al-Mangoush",
        "Najla Mangoush",
    ]
    guler = gaz.people["guler_muammer"]
    assert guler.side == "turkiye"
    assert guler.role_on(dt.date(2013, 6, 1)) == "Minister of Interior"
    assert gaz.people["majbari"].side == "libya"


def test_a_lone_respelled_surname_still_names_the_established_person() -> None:
    # A newcomer sharing the consonant skeleton (Youssef al-Mangoush, Muammer Güler) must not
    # make a lone surname in another spelling ambiguous.
    gaz = load_gazetteer()
    found = {name: person_by_spelling(gaz, name, min_lone=3) for name in ("Mengush", "Gueler")}
    assert {name: p.id if p else None for name, p in found.items()} == {
        "Mengush": "mangoush",
        "Gueler": "guler",
    }


def test_a_different_name_with_the_same_consonants_is_not_the_listed_person() -> None:
    # "Ahmadi" (opens on a vowel, ends in -i) and "Hamuda" (opens on h, ends in -a) share the
    # skeleton h-m-d: a councillor called Ahmadi is not the GNU spokesman.
    gaz = load_gazetteer()
    assert person_by_spelling(gaz, "Emhemed Ahmadi") is None
    assert person_by_spelling(gaz, "Mohamed Hammoudi") is None
    # Spellings of the spokesman's own name still reach him.
    found = person_by_spelling(gaz, "Mohammed Hamude")
    assert found is not None and found.id == "hammouda"


def test_spellings_that_drop_or_add_a_letter_reach_the_listed_official() -> None:
    assert _people("Saladin Nemrush received the delegation") == ["Salah al-Namroush"]
    assert _people("the consul Serkan Karmanlioglu spoke") == ["Serkan Kiramanlioglu"]
    assert _people("ambassador Kanaan Yılmaz arrived") == ["Kenan Yilmaz"]
    assert _people("Abdul Hamid Mohammed Dbebibeh spoke") == ["Abdulhamid Dbeibah"]
    assert _people("وزير الخارجية محمد طاهر السيالة") == ["Mohamed Taher Siala"]
    assert _people("السفير سرحات أكسن") == ["Serhat Aksen"]
    # A hyphen left apart from the name it belongs to is still the same name.
    assert _people("Fayez al- Sarraj spoke") == ["Fayez al-Sarraj"]


def test_officials_of_the_rival_tripoli_bodies_2014_2016() -> None:
    assert _people("Sheikh Sadik al-Ghariani met Nuri Abu Sahmain") == [
        "Sadiq al-Ghariani",
        "Nouri Abusahmain",
    ]
    gaz = load_gazetteer()
    # After the House of Representatives took over, he went on presiding the Tripoli rump.
    assert gaz.people["abusahmain"].role_on(dt.date(2015, 6, 1)) == (
        "President of the General National Congress (Tripoli)"
    )
    assert _people("Hasi received the envoy") == ["Omar al-Hassi"]
    # The salvation government's premiership passed from al-Hassi to Ghwell.
    office = "the prime minister of the National Salvation Government"
    assert _people(office, dt.date(2014, 11, 1)) == ["Omar al-Hassi"]
    assert _people(office, dt.date(2015, 9, 1)) == ["Khalifa Ghwell"]
    assert _people("Ghariani alone", dt.date(2015, 1, 1)) == []  # other Gharyani exist


def test_turkish_envoys_to_libya_follow_each_other() -> None:
    assert _people("Turkey's special envoy for Libya", dt.date(2015, 1, 9)) == ["Emrullah Isler"]
    assert _people("Turkey's special envoy for Libya", dt.date(2014, 6, 1)) == []
    ambassador = "the Turkish ambassador to Libya"
    assert _people(ambassador, dt.date(2016, 9, 1)) == ["Ahmet Aydin Dogan"]
    assert _people(ambassador, dt.date(2020, 7, 1)) == ["Serhat Aksen"]
    assert _people(ambassador, dt.date(2022, 7, 1)) == ["Kenan Yilmaz"]
    assert _people(ambassador, dt.date(2025, 7, 1)) == ["Guven Begec"]
    # Spelled the old, wrong way, the 2020 ambassador is still himself.
    assert _people("Serhan Aksen") == ["Serhat Aksen"]


def test_local_officials_and_commanders_named_in_contacts() -> None:
    assert _people("the Tripoli mayor", dt.date(2016, 5, 30)) == ["Abdulraouf Beitelmal"]
    assert _people("الصقر بوجواري") == ["Saqr Boujouari"]
    assert _people("Chief of Naval Staff Abdul Hakim Abu Hawliyeh") == ["Abdul Hakim Abu Hawliyeh"]
    assert _people("Colonel Osman Itaj") == ["Osman Aytac"]


def test_cities_where_contacts_happen_abroad_and_in_eastern_libya() -> None:
    gaz = load_gazetteer()
    places = {
        m.text: gaz.place_for_mention(m)
        for m in gaz.find_mentions("Milano'da ve Isparta'da; في مدينة القبة")
        if m.kind == "place"
    }
    assert {text: (p.name, p.country) for text, p in places.items() if p} == {
        "Milano": ("Milan", "Italy"),
        "Isparta": ("Isparta", "Türkiye"),
        "القبة": ("al-Qubba", "Libya"),
    }
