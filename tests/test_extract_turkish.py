"""Turkish extraction: the phenomena of Turkish reporting, on sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.dates_turkish import resolve_turkish_event_date
from pipeline.extract.turkish import extract_turkish_events
from pipeline.records import ExtractedEvent

PUBLISHED = dt.date(2025, 10, 8)  # a Wednesday


def _events(text: str, title: str | None = None) -> list[ExtractedEvent]:
    return extract_turkish_events(text, published=PUBLISHED, title=title)


def _names(event: ExtractedEvent) -> set[str]:
    return {p.name for p in event.participants}


def test_a_titled_name_in_a_turkish_spelling_is_the_listed_person() -> None:
    (event,) = _events(
        "Ticaret Bakanı Ömer Bolat, Libya Başbakanı Abdülhamid Dbeyba ile Ankara'da uzun bir "
        "görüşme yaptı."
    )
    assert _names(event) == {"Omer Bolat", "Abdulhamid Dbeibah"}


def test_a_place_with_a_name_like_skeleton_is_not_a_person() -> None:
    # "Trablus" shares its consonants with "Trabelsi": a place the gazetteer knows.
    (visit,) = _events("Dışişleri Bakanı Hakan Fidan, bugün sabah saatlerinde Trablus'a gitti.")
    assert "Emad Trabelsi" not in _names(visit)  # a visit to the government, not to him
    assert _names(visit) == {"Hakan Fidan", "Government of National Unity"}


def test_the_mourned_are_not_parties() -> None:
    (event,) = _events(
        "Genelkurmay Başkanı Orgeneral Selçuk Bayraktaroğlu, geçen hafta kazada hayatını "
        "kaybeden Libya Genelkurmay Başkanı Muhammed el-Haddad için Trablus'a taziye "
        "ziyaretinde bulundu ve Başbakan Dibeybe ile görüştü."
    )
    assert "Mohammed al-Haddad" not in _names(event)
    assert "Abdulhamid Dbeibah" in _names(event)


def test_a_possessor_is_not_a_party() -> None:
    (event,) = _events(
        "Hafter'in oğlu Saddam Hafter, Ankara'da Milli Savunma Bakanı Yaşar Güler ile uzun "
        "süre görüştü."
    )
    assert _names(event) == {"Saddam Haftar", "Yasar Guler"}


def test_the_day_nearest_the_verb_is_the_contact_day() -> None:
    # The first day belongs to a relative clause ("the accident on the 3rd").
    (event,) = _events(
        "Milli Savunma Bakanı Yaşar Güler, 3 Ekim'de meydana gelen kazanın ardından dün "
        "Trablus'ta Libya Başbakanı Dibeybe ile görüştü."
    )
    assert event.date == dt.date(2025, 10, 7)


def test_a_page_stamp_is_not_the_contact_day() -> None:
    (event,) = _events(
        "Tarih: 08.10.2025 09:30 Dışişleri Bakanı Hakan Fidan, dün Libya Dışişleri Bakanı "
        "Tahir el-Baur ile telefonda görüştü."
    )
    assert event.type == "call"
    assert event.date == dt.date(2025, 10, 7)


def test_a_delegation_named_once_is_the_party_later() -> None:
    text = (
        "Dışişleri Bakanı Hakan Fidan ile MİT Başkanı İbrahim Kalın'dan oluşan heyet, "
        "Trablus'a çalışma ziyareti yaptı.\n\n"
        "Heyet, dün Libya Başkanlık Konseyi Başkanı Muhammed el-Menfi ile bir araya geldi."
    )
    (event,) = _events(text)
    assert {"Hakan Fidan", "Ibrahim Kalin", "Mohamed al-Menfi"} <= _names(event)
    assert event.date == dt.date(2025, 10, 7)


def test_an_unnamed_military_delegation_is_a_party_of_military_talks() -> None:
    (event,) = _events(
        "Libya Kara Kuvvetleri Komutanı Saddam Hafter, Bingazi'de Türk askeri heyetiyle "
        "kapsamlı bir görüşme yaptı."
    )
    assert event.type == "military"
    assert _names(event) == {"Saddam Haftar", "Turkish military delegation"}


def test_those_present_join_the_contact_just_told() -> None:
    text = (
        "Cumhurbaşkanı Recep Tayyip Erdoğan, Libya Başbakanı Abdulhamid Dibeybe'yi "
        "Beştepe'de kabul etti. Görüşmeye Dışişleri Bakanı Hakan Fidan da katıldı."
    )
    (event,) = _events(text)
    assert _names(event) == {"Recep Tayyip Erdogan", "Abdulhamid Dbeibah", "Hakan Fidan"}


def test_a_signing_between_the_two_states_is_the_governments() -> None:
    (event,) = _events(
        "Türkiye ile Libya arasında deniz ulaştırması alanında bir mutabakat muhtırası imzalandı."
    )
    assert event.type == "agreement"
    assert _names(event) == {"Government of Türkiye", "Government of National Unity"}
    # in 2019 the government in Tripoli was the GNA
    (event,) = extract_turkish_events(
        "Türkiye ile Libya arasında dün güvenlik alanında bir mutabakat muhtırası imzalandı.",
        published=dt.date(2019, 11, 28),
    )
    assert "Government of National Accord" in _names(event)


def test_a_signing_after_talks_has_the_talks_parties() -> None:
    text = (
        "Enerji ve Tabii Kaynaklar Bakanı Alparslan Bayraktar, Libya Petrol Bakanı Halife "
        "Abdussadık ile İstanbul'da bir araya geldi. Görüşmelerin sonunda iki bakanlık "
        "arasında bir protokol imzalandı."
    )
    events = _events(text)
    assert [e.type for e in events] == ["meeting", "agreement"]
    assert _names(events[1]) == _names(events[0])


def test_a_cited_contact_has_no_day() -> None:
    (event,) = _events(
        "Kaynaklar, Kalın'ın Hafter ile Bingazi'de yaptığı görüşmenin yeni bir süreci "
        "başlattığını söyledi."
    )
    assert event.date is None


def test_a_pluperfect_before_the_story_incident_is_on_its_day() -> None:
    (event,) = _events(
        "Dışişleri Bakanı Hakan Fidan, fırtınadan kısa süre önce Trablus'ta Başbakan "
        "Dibeybe ile baş başa görüşmüştü."
    )
    assert event.date == PUBLISHED


def test_a_pluperfect_aside_has_no_day() -> None:
    (event,) = _events(
        "Dışişleri Bakanı Hakan Fidan, Trablus'ta Başbakan Dibeybe ile de baş başa görüşmüştü."
    )
    assert event.date is None


def test_turkish_relative_day_words() -> None:
    assert resolve_turkish_event_date("önceki gün görüştü", PUBLISHED)[0] == dt.date(2025, 10, 6)
    assert resolve_turkish_event_date("üç gün önce", PUBLISHED)[0] == dt.date(2025, 10, 5)
    monday = resolve_turkish_event_date("geçtiğimiz Pazartesi günü", PUBLISHED)[0]
    assert monday == dt.date(2025, 10, 6)
    assert resolve_turkish_event_date("geçtiğimiz hafta", PUBLISHED) == (None, "vague")
    assert resolve_turkish_event_date("geçen ayın sonunda", PUBLISHED) == (None, "vague")
    assert resolve_turkish_event_date("hafta sonunda", PUBLISHED) == (None, "vague")
    # "shortly before the incident" is dated by the incident, not a vague date itself
    assert resolve_turkish_event_date("olaydan kısa süre önce", PUBLISHED)[1] == "published"


def test_a_warship_port_visit_is_military_between_navies() -> None:
    (event,) = _events(
        "TCG Gemlik fırkateyni, Trablus Limanı'nı ziyaret ederek Libya Deniz Kuvvetleri "
        "ile ortak eğitim gerçekleştirdi."
    )
    assert event.type == "military"
    assert _names(event) == {"Turkish Navy", "Libyan Navy"}


def test_training_of_an_army_is_military_but_education_is_not() -> None:
    (event,) = _events(
        "Libya Ulusal Ordusu'na bağlı birlikler, Türk Silahlı Kuvvetleri'nden eğitim aldı."
    )
    assert event.type == "military"
    assert (
        _events(
            "Ticaret Bakanı Ömer Bolat, Libya Başbakanı Dibeybe ile eğitim ve sağlık alanında "
            "işbirliğini görüştü."
        )[0].type
        == "meeting"
    )


def test_a_person_named_in_full_is_recalled_by_one_word() -> None:
    text = (
        "Libya Kara Kuvvetleri Komutanı Saddam Hafter, Bingazi'de açıklama yaptı ve geleceğe "
        "dair planlarını anlattı. Saddam, Milli Savunma Bakanı Yaşar Güler'i makamında "
        "ziyaret etti."
    )
    (event,) = _events(text)
    assert _names(event) == {"Saddam Haftar", "Yasar Guler"}


def test_a_message_delivered_is_other_and_its_author_takes_part() -> None:
    (event,) = _events(
        "Genelkurmay Başkanı Metin Gürak, Cumhurbaşkanı Erdoğan'ın mesajını Trablus'ta "
        "Libya Başbakanı Dibeybe'ye iletti."
    )
    assert event.type == "other"
    assert _names(event) == {"Metin Gurak", "Recep Tayyip Erdogan", "Abdulhamid Dbeibah"}


def test_an_envoys_city_is_the_posting_unless_a_country_owns_the_office() -> None:
    (event,) = _events(
        "Libya'nın Ankara Büyükelçisi Ali Senusi Kerimi, Dışişleri Bakan Yardımcısı Ahmet "
        "Demirci ile Ankara'da görüştü."
    )
    sides = {p.name: p.side for p in event.participants}
    assert sides == {"Ali Senusi Kerimi": "libya", "Ahmet Demirci": "turkiye"}
    (event,) = _events(
        "Trablus Büyükelçisi Mehmet Aydemir, Libya İçişleri Bakanı İmad Trabelsi ile Trablus'ta "
        "bir araya geldi."
    )
    assert {p.name: p.side for p in event.participants}["Mehmet Aydemir"] == "turkiye"


def test_an_office_alone_after_a_listed_party_is_its_holder() -> None:
    # "Erdoğan, Libya Başbakanı ile": the comma ends Erdoğan; the office is not his.
    (event,) = _events(
        "Cumhurbaşkanı Erdoğan, Libya Başbakanı ile telefonda görüştü ve bölgesel konuları "
        "ele aldı."
    )
    assert _names(event) == {"Recep Tayyip Erdogan", "Abdulhamid Dbeibah"}


def test_a_visit_made_after_an_earlier_contact_is_its_own_contact() -> None:
    # "ziyarette bulundu" is a visit made, not someone present at the last contact.
    text = (
        "Cumhurbaşkanı Erdoğan, dün Libya Başkanlık Konseyi Başkanı Menfi ile telefonda "
        "görüştü. Dışişleri Bakanı Hakan Fidan ise bugün Trablus'ta resmi ziyarette bulundu "
        "ve Başbakan Dibeybe ile görüştü."
    )
    assert [e.type for e in _events(text)] == ["call", "visit"]


def test_the_then_minister_and_a_postponed_visit_are_not_news() -> None:
    assert not _events(
        "Haddad, dönemin Milli Savunma Bakanı Hulusi Akar ile Trablus'ta uzun bir görüşme yaptı."
    )
    assert not _events(
        "Libya Başbakanı Dibeybe'nin Cumhurbaşkanı Erdoğan ile görüşmesi ertelendi, yeni "
        "tarih açıklanmadı."
    )


def test_a_state_named_as_the_other_signatory_is_its_government() -> None:
    (event,) = _events(
        "Ticaret Bakanı Ömer Bolat, bugün Libya ile ticaretin geliştirilmesine dair bir "
        "protokol imzaladı."
    )
    assert _names(event) == {"Omer Bolat", "Government of National Unity"}
    # "the agreement X's government signed with Türkiye" is history, not a signing
    assert not _events(
        "Serrac hükümetinin Türkiye ile imzaladığı anlaşma, meclisin gündemine yeniden geldi."
    )


def test_a_short_surname_after_its_office_is_the_listed_holder() -> None:
    (event,) = _events(
        "Cumhurbaşkanı Erdoğan, Libya Başbakanı Dbeyba ile Ankara'da bir araya gelerek görüştü."
    )
    assert _names(event) == {"Recep Tayyip Erdogan", "Abdulhamid Dbeibah"}


def test_an_agreement_named_by_its_past_takes_no_parties_from_the_talks() -> None:
    text = (
        "Cumhurbaşkanı Erdoğan, Libya Başbakanı Dibeybe'yi Ankara'da kabul etti. İki lider, "
        "daha önce imzalanan anlaşmaların uygulanmasını ele aldı. Bu çerçevede imzalanan "
        "protokollerin takvimi de konuşuldu."
    )
    assert [e.type for e in _events(text)] == ["meeting"]


def test_future_forms_of_visits_and_contacts_are_plans() -> None:
    (event,) = _events(
        "Dışişleri Bakanı Fidan, Pazartesi günü Trablus'ta temaslarda bulunacak; Fidan'ın "
        "Başbakan Dibeybe ile bir araya gelmesi bekleniyor."
    )
    assert (event.status, event.date) == ("planned", dt.date(2025, 10, 13))
    (event,) = _events(
        "Libya Başbakanı Dibeybe, yarın Türkiye'de resmi ziyarette bulunacak ve Cumhurbaşkanı "
        "Erdoğan ile görüşecek."
    )
    assert (event.type, event.status) == ("visit", "planned")


def test_a_middle_name_one_spelling_adds_is_no_disagreement() -> None:
    from pipeline.gazetteer import load_gazetteer
    from pipeline.transliteration import person_by_spelling

    gaz = load_gazetteer()
    found = person_by_spelling(gaz, "Muhammed Yunus el-Menfi")
    assert found is not None and found.name == "Mohamed al-Menfi"
    assert person_by_spelling(gaz, "Sigmar Gabriel") is None
    # a father's name the listed spelling leaves out, before a surname too short for its
    # consonants alone to be safe
    found = person_by_spelling(gaz, "Muhammed Ahmed Oun")
    assert found is not None and found.name == "Mohamed Oun"
    assert person_by_spelling(gaz, "Muhammed Ahmed Aun Bey") is None


def test_a_title_word_is_never_a_recalled_name() -> None:
    # "Bakan Bayraktar" is an alias; "Bakan" alone later is not Bayraktar.
    text = (
        "Enerji ve Tabii Kaynaklar Bakanı Alparslan Bayraktar, dün İstanbul'da bir enerji "
        "forumunda konuştu. Bakan Yardımcısı Ahmet Demirci ise Libya Petrol Bakanı Halife "
        "Abdussadık ile Trablus'ta görüştü."
    )
    (event,) = _events(text)
    assert "Alparslan Bayraktar" not in _names(event)


def test_welcoming_a_decision_or_accepting_an_invitation_is_not_a_reception() -> None:
    assert not _events(
        "Libya Başbakanı Dibeybe, Cumhurbaşkanı Erdoğan'ın dün yaptığı açıklamayı "
        "memnuniyetle karşıladı."
    )
    assert not _events(
        "Libya Başbakanı Dibeybe, Cumhurbaşkanı Erdoğan'ın Ankara'ya davetini kabul etti."
    )


def test_the_lemma_variant_reads_a_verb_form_only_when_switched_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A stand-in for a package's lemmatiser (the packages themselves are measured by
    # bench/bench_turkish_nlp.py, not installed): it knows one form no pattern lists.
    from pipeline.extract import turkish_morphology

    forms = {"görüşebildi": "görüş", "ağırlamaya": "ağırla"}
    monkeypatch.setattr(
        turkish_morphology,
        "lemmatiser",
        lambda _m: lambda ws: [forms.get(w.lower(), w) for w in ws],
    )
    text = "Dışişleri Bakanı Hakan Fidan, dün Libya Başbakanı Dibeybe ile nihayet görüşebildi."
    assert _events(text) == []  # the rules alone: no trigger
    (event,) = extract_turkish_events(text, published=PUBLISHED, morphology="spacy-lookups")
    assert (event.type, event.status, event.date) == ("meeting", "occurred", dt.date(2025, 10, 7))
    # an intention in the infinitive is no contact, by lemma either
    wish = "Bakan Hakan Fidan, Libya Başbakanı Dibeybe'yi Ankara'da ağırlamaya hazırlanıyor."
    assert not extract_turkish_events(wish, published=PUBLISHED, morphology="spacy-lookups")


def test_a_future_with_its_k_softened_is_a_plan() -> None:
    # "-eceği", "-acağını": the future before a vowel, a plan reported or described.
    (event,) = _events(
        "Dışişleri Bakanı Hakan Fidan'ın Perşembe günü Trablus'ta Libya Başbakanı Dibeybe ile "
        "görüşeceği bildirildi."
    )
    assert (event.type, event.status, event.date) == ("meeting", "planned", dt.date(2025, 10, 9))
    (event,) = _events(
        "Ticaret Bakanı Ömer Bolat, Libya Başbakanı Dibeybe ile yarın Ankara'da bir ticaret "
        "anlaşması imzalayacaklarını açıkladı."
    )
    assert (event.type, event.status) == ("agreement", "planned")


def test_a_meeting_wished_for_is_no_contact() -> None:
    assert not _events(
        "Libya Başbakanı Dibeybe, Cumhurbaşkanı Erdoğan ile en kısa sürede görüşmeyi umuyor."
    )
    assert not _events(
        "Cumhurbaşkanı Erdoğan, Libya Başkanlık Konseyi Başkanı Menfi ile görüşmek istediğini "
        "söyledi."
    )


def test_a_report_of_talks_called_baseless_is_a_denial() -> None:
    (event,) = _events(
        "MİT Başkanı İbrahim Kalın'ın Bingazi'de Halife Hafter ile gizlice görüştüğü "
        "iddialarını Ankara kesin bir dille reddetti."
    )
    assert event.status == "denied"
    (event,) = _events(
        "Libya Başbakanı Dibeybe'nin Cumhurbaşkanı Erdoğan ile gece yarısı görüştüğüne dair "
        "haberlerin asılsız olduğu açıklandı."
    )
    assert event.status == "denied"


def test_a_lower_case_weekday_with_gunu_is_a_day() -> None:
    # The spelling guide writes weekday names in lower case unless a full date is given.
    assert resolve_turkish_event_date("salı günü görüştü", PUBLISHED)[0] == dt.date(2025, 10, 7)
    assert resolve_turkish_event_date("cuma namazından sonra", PUBLISHED)[1] == "published"


def test_the_talk_named_again_after_a_phone_call_is_that_call() -> None:
    # "görüşmede" (in the conversation) points back at the call just told.
    (event,) = _events(
        "Dışişleri Bakanı Hakan Fidan, Libya Başbakanı Abdülhamid Dbeyba ile telefonda görüştü. "
        "Fidan görüşmede Dbeyba'ya seçim sürecine verdikleri desteği yineledi."
    )
    assert event.type == "call"


def test_two_hosts_receiving_a_guest_separately_are_two_meetings() -> None:
    events = _events(
        "Cumhurbaşkanı Recep Tayyip Erdoğan ve Dışişleri Bakanı Hakan Fidan, Libya Başbakanı "
        "Abdülhamid Dbeyba'yı dün Ankara'da ayrı ayrı kabul etti."
    )
    assert sorted(sorted(_names(e)) for e in events) == [
        ["Abdulhamid Dbeibah", "Hakan Fidan"],
        ["Abdulhamid Dbeibah", "Recep Tayyip Erdogan"],
    ]


def test_talks_in_the_plural_with_several_hosts_are_one_meeting_each() -> None:
    events = _events(
        "Ticaret Bakanı Ömer Bolat, dün Trablus'ta Libya Başbakanı Abdülhamid Dbeyba ve Libya "
        "Merkez Bankası Başkanı Naji Issa ile ikili görüşmeler gerçekleştirdi."
    )
    assert sorted(sorted(_names(e)) for e in events) == [
        ["Abdulhamid Dbeibah", "Omer Bolat"],
        ["Naji Issa", "Omer Bolat"],
    ]


def test_a_programme_for_tomorrow_is_plans_each_with_its_own_host() -> None:
    # The future "-acak" is a plan; "yarın" dates it; the second clause, joined by "ve",
    # has a host of its own ("X tarafından kabul edilecek": will be received by X).
    events = _events(
        "Libya Başbakanı Abdülhamid Dbeyba yarın Ankara'da Dışişleri Bakanı Hakan Fidan ile "
        "görüşmelerde bulunacak ve Cumhurbaşkanı Recep Tayyip Erdoğan tarafından kabul edilecek."
    )
    assert sorted(sorted(_names(e)) for e in events) == [
        ["Abdulhamid Dbeibah", "Hakan Fidan"],
        ["Abdulhamid Dbeibah", "Recep Tayyip Erdogan"],
    ]
    assert {(e.status, e.date) for e in events} == {("planned", dt.date(2025, 10, 9))}


def test_a_dinner_given_by_a_minister_later_that_day_is_a_planned_meeting() -> None:
    events = _events(
        "Libya Başbakanı Abdülhamid Dbeyba bu akşam İstanbul'da bir fuarın açılışını yapacak. "
        "Dbeyba ardından Ticaret Bakanı Ömer Bolat tarafından verilen akşam yemeğine katılacak."
    )
    (dinner,) = events
    assert (dinner.type, dinner.status, dinner.date) == ("meeting", "planned", PUBLISHED)


def test_coming_to_hold_talks_is_no_talk_held() -> None:
    # "temaslarda bulunmak için" (in order to hold talks): a purpose, not a contact.
    assert not _events(
        "Libya Başbakanı Abdülhamid Dbeyba, resmi temaslarda bulunmak için Ankara'ya geliyor."
    )


def test_a_bare_surname_is_the_namesake_named_last() -> None:
    # Both Haftars are named; the bare "Hafter" follows the son's full name.
    events = _events(
        "Ankara, Halife Hafter ile ilişkilerini son yıllarda geliştirdi.\n\n"
        "Kara Kuvvetleri Komutanı Saddam Hafter bugün Ankara'ya geldi. Hafter, Dışişleri "
        "Bakanı Hakan Fidan ile görüştü."
    )
    assert {p.name for e in events for p in e.participants if p.side == "libya"} == {
        "Saddam Haftar"
    }


def test_a_delegation_no_sentence_lists_is_led_by_the_visitor_named_last() -> None:
    events = _events(
        "Trablus'ta bulunan Dışişleri Bakanı Hakan Fidan basına açıklama yaptı.\n\n"
        "Başkentte bulunan heyetin yarın Libya Başbakanı Abdülhamid Dbeyba ile bir araya "
        "gelmesi bekleniyor."
    )
    assert [(e.status, _names(e)) for e in events] == [
        ("planned", {"Hakan Fidan", "Abdulhamid Dbeibah"})
    ]


def test_a_national_delegation_is_not_the_visitor_named_before() -> None:
    # "Türk heyeti" says whose delegation it is, not who leads it.
    events = _events(
        "Dışişleri Bakanı Hakan Fidan dün Trablus'ta bir basın toplantısı düzenledi.\n\n"
        "Türk askeri heyeti bugün Libya Genelkurmay Başkanı Muhammed el-Haddad ile görüştü."
    )
    assert all("Hakan Fidan" not in _names(e) for e in events)


def test_a_body_met_as_such_is_the_party_of_its_side() -> None:
    (event,) = _events(
        "Ticaret Bakanı Ömer Bolat başkanlığındaki heyet, dün Trablus'ta Ulusal Birlik "
        "Hükümeti ile bir araya geldi."
    )
    assert _names(event) == {"Omer Bolat", "Government of National Unity"}


def test_agreements_made_between_the_two_countries_are_the_governments_signing() -> None:
    (event,) = _events(
        "Ziyarette iki ülke arasında tarım ve sağlık alanlarında anlaşmalar yapıldı."
    )
    assert event.type == "agreement"
    assert _names(event) == {"Government of Türkiye", "Government of National Unity"}


def test_a_meeting_in_a_nominalised_clause_happened_whatever_follows_it() -> None:
    (event,) = _events(
        "Bakan Fidan, Libya Başbakanı Abdülhamid Dibeybe ile yaptığı görüşme sonrasında "
        "gazetecilere kışın Trablus'a yeniden geleceğini söyledi."
    )
    assert (event.type, event.status, event.date) == ("meeting", "occurred", PUBLISHED)
    (event,) = _events(
        "Fidan'ın Menfi ile görüşmesinin ardından iki heyet ortak bir bildiri yayımladı."
    )
    assert (event.status, event.date) == ("occurred", PUBLISHED)


def test_a_session_closed_by_a_signing_is_a_meeting_and_an_agreement() -> None:
    events = _events(
        'Bakan Bayraktar, "Karma Ekonomik Komisyon toplantısını Libya Ulaştırma Bakanı '
        'Muhammed Şahubi ile imzaladığımız bir protokolle tamamladık" dedi.'
    )
    assert sorted(e.type for e in events) == ["agreement", "meeting"]
    assert all(e.date == PUBLISHED for e in events)  # the speaker's own signing: the news
    assert all(_names(e) == {"Alparslan Bayraktar", "Mohamed Salem al-Shahoubi"} for e in events)


def test_an_unnamed_military_attache_is_a_party_to_military_talks() -> None:
    (event,) = _events(
        "Hafter güçlerinin Genel Sekreteri Yusuf el-Berani, Türk askeri ataşesini Bingazi'deki "
        "karargâhta kabul etti. Geçtiğimiz hafta yapılan görüşmede eğitim konuları ele alındı."
    )
    assert event.type == "military"
    assert {(p.name, p.side) for p in event.participants} == {
        ("Turkish military attache in Libya", "turkiye"),
        ("Yusuf el-Berani", "libya"),  # his office is owned by Haftar's forces, not a party
    }
    assert event.date is None  # "last week", told in the sentence after


def test_a_trilateral_during_the_visit_is_not_the_welcome() -> None:
    events = _events(
        "Milli Savunma Bakanı Hulusi Akar, Trablus'ta Libya Savunma Bakan Yardımcısı Selahaddin "
        "en-Nemruş tarafından karşılanan heyetle birlikte törene katıldı.\n"
        "Akar, Libya ziyareti sırasında Katar Savunma Bakanı Halid bin Muhammed el-Atiyye ve "
        "Nemruş ile de bir araya geldi."
    )
    assert len(events) == 2
    assert sum(any(p.side == "other" for p in e.participants) for e in events) == 1


def test_a_last_sentence_cut_off_mid_word_is_still_read() -> None:
    (event,) = _events(
        "Kısa bir giriş cümlesi burada yer alıyor ve sonra asıl haber geliyor.\n"
        "Bakan Fidan, Libya Başbakanı Abdülhamid Dibeybe ile yaptığı görüşme sonrasında "
        "düzenlenen basın toplantısında, iki ülkenin enerji ve ulaştırma alanlarında yeni "
        "adımlar atacağını ve heyetlerin yakında yeniden bir araya geleceğini a"
    )
    assert _names(event) == {"Hakan Fidan", "Abdulhamid Dbeibah"}


def test_credentials_handed_over_the_other_day_are_an_undated_meeting() -> None:
    # "geçtiğimiz gün": some recent day the story leaves open, not the day of writing.
    (event,) = _events(
        "Geçtiğimiz gün Türkiye'nin Trablus Büyükelçisi Kenan Yılmaz, Libya Başkanlık Konseyi "
        "Başkanı Muhammed Menfi'ye güven mektubunu sundu."
    )
    assert event.type == "meeting"
    assert event.date is None
    assert _names(event) == {"Kenan Yilmaz", "Mohamed al-Menfi"}


def test_this_talk_pointed_back_at_is_not_a_second_contact() -> None:
    events = _events(
        "Dışişleri Bakanı Hakan Fidan, Libya Başbakanı Abdülhamid Dbeyba ile telefonda görüştü. "
        "Fidan'ın Dbeyba ile yaptığı bu görüşmenin bölgeye yararlı olacağı düşünülüyor."
    )
    assert [e.type for e in events] == ["call"]


def test_an_article_joined_by_an_apostrophe_stays_inside_the_name() -> None:
    (event,) = _events(
        "Büyükelçi Kenan Yılmaz ile Libya Tapu Dairesi Genel Müdürü Halil Ebu'l Fadl bugün "
        "bir arsa protokolü imzaladı."
    )
    assert "Halil Ebu'l Fadl" in _names(event)


def test_a_joint_press_conference_with_a_counterpart_is_a_meeting() -> None:
    (event,) = _events(
        "Ticaret Bakanı Ömer Bolat, bugün Libya Başbakanı Abdülhamid Dbeyba ile ortak basın "
        "toplantısı düzenledi."
    )
    assert event.type == "meeting"
    assert _names(event) == {"Omer Bolat", "Abdulhamid Dbeibah"}


def test_an_office_after_a_third_country_is_that_countrys() -> None:
    # Any country of the world, not only those the gazetteer lists: the minister of a
    # country named before the office is no Turkish party.
    events = _events(
        "Kenya Dışişleri ve Diaspora Bakanı Ayşe Örnekçi, Libya Başbakanı Abdulhamid Dibeybe "
        "ile Trablus'ta görüştü."
    )
    assert events == []


def test_an_unlisted_name_under_a_turkish_office_held_that_day_is_someone_elses() -> None:
    # On a trip abroad the host's ministers are written without their country; the
    # gazetteer knows who was Türkiye's foreign minister that day, and it is not him.
    events = _events(
        "Hafter, Atina'da Başbakan Yorgos Örnekoğlu ve Dışişleri Bakanı Nikos Örnekidis ile "
        "bir araya geldi."
    )
    assert events == []


def test_offices_listed_after_a_countrys_are_that_countrys() -> None:
    # A welcoming line lists one country's officials; only the first names the country.
    (event,) = _events(
        "Trablus'a gelen Milli Savunma Bakanı Hulusi Akar, Libya İçişleri Bakan Yardımcısı "
        "Kemal Örnekli, Hava Kuvvetleri Komutanı Tuğgeneral Salim Örnekzade, Sahil Güvenlik "
        "Komutanı Fethi Örnekçioğlu tarafından karşılandı."
    )
    sides = {p.name: p.side for p in event.participants}
    assert sides["Salim Örnekzade"] == sides["Fethi Örnekçioğlu"] == "libya"
    assert sides["Hulusi Akar"] == "turkiye"


def test_who_ordered_a_delegation_does_not_travel_with_it() -> None:
    events = _events(
        "Cumhurbaşkanı Recep Tayyip Erdoğan'ın talimatıyla Dışişleri Bakanı Hakan Fidan "
        "başkanlığındaki heyet dün Trablus'ta Dibeybe ile görüştü."
    )
    assert len(events) == 1 and "Recep Tayyip Erdogan" not in _names(events[0])


def test_a_statement_told_as_a_message_is_no_message_delivered() -> None:
    # "… olduğu mesajını sundu": he said so to his host; no one's message was handed over.
    events = _events(
        "Milli Savunma Bakanı Yaşar Güler, Trablus'ta Başbakan Abdulhamid Dibeybe ile görüştü. "
        "Güler, Dibeybe'ye Cumhurbaşkanı Erdoğan'ın selamlarını iletti, Türkiye'nin Libya'nın "
        "yanında olduğu mesajını sundu."
    )
    assert [e.type for e in events] == ["meeting"]


def test_a_message_sent_by_another_and_handed_over_is_still_a_message() -> None:
    (message,) = _events(
        "Dışişleri Bakanı Hakan Fidan, Cumhurbaşkanı Erdoğan'ın gönderdiği mesajı Dibeybe'ye "
        "iletti."
    )
    assert message.type == "other" and "Recep Tayyip Erdogan" in _names(message)


def test_a_country_name_that_is_also_a_word_is_not_a_country() -> None:
    # "Mali" is also "financial": Türkiye's financial crimes board is Turkish.
    (meeting,) = _events(
        "Mali Suçları Araştırma Kurulu Başkanı Ahmet Örnekçi, Libya Merkez Bankası Başkanı "
        "Naji Issa ile Trablus'ta görüştü."
    )
    assert {p.side for p in meeting.participants} == {"turkiye", "libya"}


def test_a_name_quoted_beside_a_contact_told_outside_the_quote_is_no_party() -> None:
    # the president spoke of Haftar before his talks; he did not meet him
    events = _events(
        "Cumhurbaşkanı Erdoğan, Berlin'deki görüşme öncesi yaptığı açıklamada, “Hafter'in "
        "saldırgan tutumu sona ermeli” dedi."
    )
    assert all("Khalifa Haftar" not in _names(e) for e in events)


def test_a_signing_reported_in_a_participle_is_a_signing() -> None:
    # "imza attığını aktardı": told that they signed
    events = _events(
        "Ticaret Bakanı Ömer Bolat, Libya Ekonomi Bakanı Muhammed el-Huveyc ile dün Ankara'da "
        "bir araya geldi. Bolat, görüşmede iki bakanın bir işbirliği belgesine imza attığını "
        "aktardı."
    )
    assert {e.type for e in events} == {"meeting", "agreement"}


def test_a_signing_told_in_the_passive_after_yesterdays_talks_is_a_signing() -> None:
    events = _events(
        "Milli Savunma Bakanı Yaşar Güler, Libya Başbakanı Abdülhamid Dbeyba ile bir araya "
        "geldi. Dünkü görüşmenin akabinde Güler ve Dbeyba tarafından bir eğitim protokolüne imza "
        "atıldı."
    )
    assert "agreement" in {e.type for e in events}


def test_an_unnamed_counterpart_is_the_holder_of_the_same_office_that_day() -> None:
    (event,) = _events(
        "Dışişleri Bakanı Hakan Fidan, dün Trablus'ta Libyalı mevkidaşı ile görüştü."
    )
    assert "Hakan Fidan" in _names(event) and len(_names(event)) == 2
    assert {p.side for p in event.participants} == {"turkiye", "libya"}


def test_a_body_met_through_its_officials_is_the_party() -> None:
    (event,) = _events(
        "Enerji Bakanı Alparslan Bayraktar, dün Trablus'ta Ulusal Birlik Hükümeti yetkilileriyle "
        "görüştü."
    )
    assert _names(event) == {"Alparslan Bayraktar", "Government of National Unity"}


def test_talks_after_a_reception_told_as_a_verbal_noun_are_that_reception() -> None:
    (event,) = _events(
        "Cumhurbaşkanı Erdoğan'ın Libya Başbakanı Dbeyba'yı dün Külliye'de kabul etmesinin "
        "ardından iki lider ortak basın toplantısı düzenledi."
    )
    assert _names(event) == {"Recep Tayyip Erdogan", "Abdulhamid Dbeibah"}
    assert event.location == "Ankara"


def test_a_port_written_with_its_apostrophe_places_the_port_call() -> None:
    (event,) = _events(
        "Türk Deniz Kuvvetlerine ait TCG Kınalıada, dün Trablus Limanı'na yaptığı liman "
        "ziyareti sırasında Libya Deniz Kuvvetleri Komutanı Tümamiral Rida İsa ile görüştü."
    )
    assert (event.type, event.location) == ("military", "Tripoli")


def test_a_son_named_by_his_given_name_after_his_father_is_that_son() -> None:
    # a lone "Belkasım" is a given name, not the patronymic in another official's alias
    (event,) = _events(
        "Dışişleri Bakanı Hakan Fidan, dün Ankara'da Halife Hafter'in oğlu Belkasım'ı ağırladı."
    )
    assert _names(event) == {"Hakan Fidan", "Belgassem Haftar"}


def test_a_namesake_after_academic_titles_is_someone_else() -> None:
    # "Prof. Dr. Ahmet Bolat" heads an airline, he is not the trade minister
    assert (
        _events(
            "Libya Ulaştırma Bakanı Muhammed Salim eş-Şehubi, dün İstanbul'da havayolu "
            "şirketinin yönetim kurulu başkanı Prof. Dr. Ahmet Bolat'ı ziyaret etti."
        )
        == []
    )


def test_an_office_in_lower_case_in_a_foreign_list_is_no_title() -> None:
    # "Rusya savunma bakanı, dışişleri bakanı ve …": Russia's, not Türkiye's foreign minister
    assert (
        _events(
            "Halife Hafter'in yarın Moskova'da Rusya savunma bakanı, dışişleri bakanı ve "
            "güvenlik konseyi sekreteriyle görüşmesi bekleniyor."
        )
        == []
    )
