"""Arabic reporting read by the gazetteer-anchored rules: cases in the project's own words;
real articles are read by tests/test_extract_realnews.py at run time."""

from __future__ import annotations

import datetime as dt

from pipeline.extract import extract_events

WEDNESDAY = dt.date(2025, 9, 17)


def test_a_turkish_warship_training_with_the_libyan_navy_is_the_navies_contact() -> None:
    (event,) = extract_events(
        "وصلت السفينة الحربية التركية إلى ميناء طرابلس يوم الأحد لتنفيذ تدريبات مشتركة مع "
        "القوات البحرية الليبية، وفق ما أعلنت رئاسة الأركان.",
        published=WEDNESDAY,
        title=None,
        language="ar",
    )
    assert event.type == "military"
    assert {(p.name, p.side) for p in event.participants} == {
        ("Turkish Navy", "turkiye"),
        ("Libyan Navy", "libya"),
    }
    assert event.date == dt.date(2025, 9, 14)


def test_an_unnamed_military_delegation_is_named_by_its_demonym() -> None:
    (event,) = extract_events(
        "استقبل رئيس الأركان العامة محمد الحداد وفدا عسكريا تركيا في طرابلس يوم الاثنين "
        "لبحث برامج التدريب.",
        published=WEDNESDAY,
        title=None,
        language="ar",
    )
    assert event.type == "military"
    assert {(p.name, p.side) for p in event.participants} == {
        ("Mohammed al-Haddad", "libya"),
        ("Turkish military delegation", "turkiye"),
    }


def _parties(event: object) -> set[tuple[str, str]]:
    return {(p.name, p.side) for p in event.participants}  # type: ignore[attr-defined]


def test_a_signing_with_a_shadda_quoted_names_and_a_city_joined_to_its_preposition() -> None:
    # "وقّع" with its shadda, each name in curly quotes, "باسطنبول" written solid, and the
    # minister's name in three words with ق for the Turkish k.
    (event,) = extract_events(
        "وقّع وزير الداخلية الليبي “عماد الطرابلسي” ونظيره “علي يرلي قايا” باسطنبول "
        "مذكرة تفاهم للتعاون في مجال التدريب.",
        published=dt.date(2024, 3, 5),
        title=None,
        language="ar",
    )
    assert event.type == "agreement"
    assert _parties(event) == {("Emad Trabelsi", "libya"), ("Ali Yerlikaya", "turkiye")}
    assert event.location == "Istanbul"


def test_a_signing_today_is_news_though_it_names_an_older_accord_in_passing() -> None:
    (event,) = extract_events(
        "وقع عبد الحميد الدبيبة اليوم الأربعاء اتفاقيتين مع خلوصي آكار لتنفيذ "
        "الاتفاقية الأمنية الموقعة عام 2019.",
        published=dt.date(2022, 6, 15),
        title=None,
        language="ar",
    )
    assert event.type == "agreement"
    assert event.date == dt.date(2022, 6, 15)


def test_happened_is_not_a_signing() -> None:
    # "وقع" without an agreement noun is "occurred".
    assert not extract_events(
        "وقع حادث قرب مقر إقامة خلوصي آكار بعد لقائه بعبد الحميد الدبيبة في طرابلس أمس؟",
        published=dt.date(2022, 6, 15),
        title=None,
        language="ar",
    )


def test_an_arabic_paragraph_is_read_sentence_by_sentence() -> None:
    # No capitals after the stops: each sentence is one, so the arrival is told by its own
    # sentence and takes its host from the next.
    events = extract_events(
        "وصل رئيس الوزراء التركي رجب طيب أردوغان يوم الخميس إلى طرابلس في زيارة رسمية. "
        "واستقبله رئيس المجلس الانتقالي مصطفى عبد الجليل في المطار. "
        "وتحدث الوزير عن مشاريع البناء في المدينة.",
        published=dt.date(2011, 9, 17),
        title=None,
        language="ar",
    )
    assert [e.date for e in events] == [dt.date(2011, 9, 15)]
    assert ("Mustafa Abdul Jalil", "libya") in _parties(events[0])
    assert events[0].evidence.endswith("في زيارة رسمية.")


def test_two_hosts_each_receiving_the_guest_separately_are_two_meetings() -> None:
    # A dual verb, the "each separately" parenthesis between verb and object, Egyptian
    # spelling of the president's name; told as an aside, so its day is not given.
    events = extract_events(
        "ويذكر أن الرئيس عبد الله جول ورئيس الوزراء رجب طيب أردوغان استقبلا - كل على حدة - "
        "مصطفى عبد الجليل في أنقرة بعيدا عن الصحفيين.",
        published=dt.date(2012, 5, 9),
        title=None,
        language="ar",
    )
    assert sorted(tuple(sorted(_parties(e))) for e in events) == [
        (("Abdullah Gul", "turkiye"), ("Mustafa Abdul Jalil", "libya")),
        (("Mustafa Abdul Jalil", "libya"), ("Recep Tayyip Erdogan", "turkiye")),
    ]
    assert all(e.date is None and e.location == "Ankara" for e in events)


def test_talks_said_in_the_next_sentence_to_be_a_phone_call_are_a_call_that_evening() -> None:
    (event,) = extract_events(
        "ناقش وزير الخارجية محمد الطاهر سيالة مع مولود تشاووش أوغلو ملف العالقين. "
        "جاء ذلك في اتصال هاتفي مساء الأحد.",
        published=dt.date(2020, 6, 2),  # a Tuesday
        title=None,
        language="ar",
    )
    assert event.type == "call"
    assert event.date == dt.date(2020, 5, 31)
    assert event.location is None


def test_those_who_took_part_in_the_meeting_join_it() -> None:
    (event,) = extract_events(
        "التقى رجب طيب أردوغان محمد المنفي في أنقرة اليوم. "
        "وشارك في الاجتماع عبد الله اللافي ومولود تشاووش أوغلو.",
        published=dt.date(2021, 4, 7),
        title=None,
        language="ar",
    )
    assert _parties(event) >= {("Abdullah al-Lafi", "libya"), ("Mevlut Cavusoglu", "turkiye")}


def test_an_arrival_with_no_libyan_named_is_a_visit_to_the_government_named() -> None:
    (event,) = extract_events(
        "وصل خلوصي أكار وزير الدفاع التركي صباح الأحد إلى طرابلس في زيارة لم تعلن من قبل.\n"
        "وتقف أنقرة إلى جانب حكومة الوفاق الوطني منذ سنوات.",
        published=dt.date(2020, 8, 18),
        title=None,
        language="ar",
    )
    assert event.type == "visit"
    assert _parties(event) == {
        ("Hulusi Akar", "turkiye"),
        ("Government of National Accord", "libya"),
    }


def test_an_earlier_visit_with_an_ordinal_day_and_a_joined_name() -> None:
    (event,) = extract_events(
        "ويتعامل المجلس الوطني الانتقالي مع أنقرة منذ أشهر.\n"
        "وسبق لداود أوغلو أن زار بنغازي مرة أولى في الخامس من تموز/يوليو.",
        published=dt.date(2011, 8, 24),
        title=None,
        language="ar",
    )
    assert (event.type, event.date, event.location) == ("visit", dt.date(2011, 7, 5), "Benghazi")
    assert _parties(event) == {
        ("Ahmet Davutoglu", "turkiye"),
        ("National Transitional Council", "libya"),
    }


def test_the_two_sides_meeting_after_a_signing_is_a_meeting_of_the_signatories() -> None:
    events = extract_events(
        "وقع وزير الداخلية التركي علي يرلي قايا ونظيره الليبي عماد الطرابلسي مذكرة تفاهم "
        "في أنقرة أمس.\nوعقد الجانبان اجتماعا بعد ذلك تناول ملف التأشيرات.",
        published=dt.date(2024, 10, 24),
        title=None,
        language="ar",
    )
    assert sorted(e.type for e in events) == ["agreement", "meeting"]


def test_talks_with_officers_of_both_armies_are_military() -> None:
    events = extract_events(
        "وقع عبد الحميد الدبيبة مع خلوصي أكار اتفاقية للتعاون اليوم.\n"
        "وعقد الطرفان مباحثات حضرها عدد من الضباط في الجيشين.",
        published=dt.date(2022, 10, 25),
        title=None,
        language="ar",
    )
    assert sorted(e.type for e in events) == ["agreement", "military"]


def test_a_joint_reception_then_each_ministry_s_report_is_two_meetings() -> None:
    events = extract_events(
        "استقبل الوزيران هاكان فيدان ويشار غولر صدام حفتر في أنقرة اليوم الخميس.\n"
        "وذكرت الخارجية أن فيدان التقى صدام حفتر وبحث معه الأوضاع.\n"
        "كما نشرت وزارة الدفاع أن يشار غولر استقبل صدام حفتر في مقرها.",
        published=dt.date(2025, 11, 20),
        title=None,
        language="ar",
    )
    assert sorted(sorted(n for n, s in _parties(e) if s == "turkiye") for e in events) == [
        ["Hakan Fidan"],
        ["Yasar Guler"],
    ]


def test_setting_out_to_meet_is_a_planned_visit_not_a_meeting_held() -> None:
    (event,) = extract_events(
        "يتوجه رئيس الحكومة عبد الحميد الدبيبة اليوم إلى أنقرة للقاء الرئيس رجب طيب أردوغان "
        "وبحث ملفات الطاقة.",
        published=WEDNESDAY,
        title=None,
        language="ar",
    )
    assert (event.type, event.status) == ("visit", "planned")


def test_two_calls_counted_in_the_next_sentence_are_two_contacts() -> None:
    events = extract_events(
        "أجرى الرئيس رجب طيب أردوغان اتصالا هاتفيا مع محمد المنفي وعبد الحميد الدبيبة اليوم. "
        "وتناول أردوغان خلال الاتصالين ملف الانتخابات.",
        published=WEDNESDAY,
        title=None,
        language="ar",
    )
    assert sorted(len(e.participants) for e in events) == [2, 2]
    assert all(e.type == "call" for e in events)


def test_reports_of_a_visit_denied_are_a_denied_visit() -> None:
    (event,) = extract_events(
        "نفت الرئاسة التركية اليوم صحة الأخبار المتداولة عن زيارة الرئيس رجب طيب أردوغان "
        "إلى طرابلس ولقائه عبد الحميد الدبيبة.",
        published=WEDNESDAY,
        title=None,
        language="ar",
    )
    assert (event.type, event.status) == ("visit", "denied")


def _events(text: str, published: dt.date = WEDNESDAY, title: str | None = None) -> list:  # type: ignore[type-arg]
    return extract_events(text, published=published, title=title, language="ar")


def test_a_call_whose_two_words_a_scraper_ran_together_is_a_call() -> None:
    (event,) = _events(
        "أجرى وزير الخارجية التركي هاكان فيدان اتصالاًهاتفياً بعبد الحميد الدبيبة اليوم."
    )
    assert event.type == "call"
    assert _parties(event) == {("Hakan Fidan", "turkiye"), ("Abdulhamid Dbeibah", "libya")}


def test_a_meeting_told_as_his_noun_after_the_visit_it_came_in_is_the_meeting() -> None:
    # "He praised the visit Saleh made to Ankara and his meeting with Erdogan": the meeting
    # is the contact, the visit its frame; a month without a day gives no day.
    (event,) = _events(
        "وأثنى السفير على الزيارة التي قام بها رئيس مجلس النواب عقيلة صالح إلى أنقرة "
        "منتصف أيلول الماضي، ولقائه الرئيس رجب طيب أردوغان هناك.",
    )
    assert event.type == "meeting"
    assert ("Aguila Saleh", "libya") in _parties(event)
    assert ("Recep Tayyip Erdogan", "turkiye") in _parties(event)
    assert event.location == "Ankara"
    assert event.date is None


def test_met_during_his_visit_is_a_meeting_not_the_visit() -> None:
    for frame in ("خلال زيارته الحالية", "على هامش زيارته", "في إطار زيارة رسمية"):
        (event,) = _events(
            f"التقى عبد الحميد الدبيبة اليوم وزير الدفاع التركي يشار غولر {frame} لطرابلس."
        )
        assert event.type == "meeting", frame
        assert event.location == "Tripoli", frame  # "ل" joined to the city: to Tripoli


def test_a_visit_the_sentence_only_frames_is_still_a_visit_when_nothing_else_is_told() -> None:
    (event,) = _events("وصف عبد الحميد الدبيبة زيارة يشار غولر اليوم إلى طرابلس بالمهمة.")
    assert event.type == "visit"


def test_a_meeting_in_a_port_or_under_a_hashtagged_city_is_placed_there() -> None:
    (port,) = _events("اجتمع صدام حفتر مع يشار غولر اليوم في ميناء مصراتة على متن سفينة.")
    assert port.location == "Misrata"
    (tagged,) = _events("استقبل رجب طيب أردوغان اليوم بالعاصمة #أنقرة محمد المنفي.")
    assert tagged.location == "Ankara"


def test_a_habit_of_speaking_at_every_meeting_is_no_meeting() -> None:
    # "He lets no meeting pass without attacking Haftar": a habit, not a contact.
    assert not _events(
        "ولا يترك رجب طيب أردوغان لقاء أو مؤتمرا إلا ويهاجم فيه خليفة حفتر هذه الأيام."
    )
    assert not _events("ولم يلتق رجب طيب أردوغان خليفة حفتر خلال الزيارة الأخيرة إلى أوروبا.")


def test_the_day_of_a_holiday_named_in_a_greeting_is_not_the_meetings() -> None:
    # The holiday greeted at the meeting falls two days before the story: the meeting,
    # no day of its own given, is the story's day.
    (event,) = _events(
        "هنأ يشار غولر خلال لقائه محمد الحداد في طرابلس بعيد الاستقلال الذي يصادف 24 ديسمبر.",
        published=dt.date(2025, 12, 26),
    )
    assert event.type == "meeting"
    assert event.date == dt.date(2025, 12, 26)


def test_the_day_a_statement_was_made_about_a_visit_is_not_the_visits() -> None:
    (event,) = _events(
        "قال سفير تركيا لدى ليبيا كنعان يلماز، لوكالة محلية، الثلاثاء، إن زيارته إلى "
        "بنغازي جاءت بدعوة من خليفة حفتر."
    )
    assert event.type == "visit"
    assert event.date is None
    # A contact the statement tells with a verb keeps the statement's day.
    (told,) = _events("قال المكتب الإعلامي الثلاثاء إن عبد الحميد الدبيبة التقى كنعان يلماز.")
    assert told.date == dt.date(2025, 9, 16)


def test_a_day_counted_from_an_undated_event_is_no_day() -> None:
    (event,) = _events(
        "التقى إبراهيم قالن خليفة حفتر في بنغازي، بعد يومين من وصول سفينة تركية إلى المدينة."
    )
    assert event.date is None
    assert event.location == "Benghazi"


def test_a_day_of_the_month_with_of_is_read() -> None:
    (event,) = _events("التقى عبد الحميد الدبيبة في 9 من سبتمبر الجاري السفير التركي كنعان يلماز.")
    assert event.date == dt.date(2025, 9, 9)


def test_meetings_counted_in_the_plural_are_one_per_listed_counterpart() -> None:
    # The visitor is named a paragraph before "the meetings included talks with A and B".
    events = _events(
        "عقد رئيس الأركان العامة محمد الحداد عدة لقاءات خلال زيارته الرسمية إلى أنقرة.\n"
        "وتضمنت اللقاءات مباحثات مع وزير الدفاع يشار غولر، ورئيس الأركان العامة "
        "التركي متين غوراك، حول التدريب."
    )
    pairs = {frozenset(p.name for p in e.participants) for e in events}
    assert frozenset({"Mohammed al-Haddad", "Yasar Guler"}) in pairs
    assert frozenset({"Mohammed al-Haddad", "Metin Gurak"}) in pairs
    assert all(len(e.participants) == 2 for e in events)


def test_who_comments_on_a_visit_is_not_its_party_nor_is_its_day_the_comments() -> None:
    (event,) = _events(
        "وعلقت السفارة على لسان كنعان يلماز على زيارة محمد المنفي إلى أنقرة ولقائه رجب "
        "طيب أردوغان، واصفة إياها بالناجحة."
    )
    assert _parties(event) == {
        ("Mohamed al-Menfi", "libya"),
        ("Recep Tayyip Erdogan", "turkiye"),
    }
    assert event.date is None
    # With no Turkish person named the visit is to the Turkish government, never to the
    # ambassador who commented on it.
    (visit,) = _events("علق كنعان يلماز على زيارة محمد المنفي إلى أنقرة بأنها مهمة.")
    assert _parties(visit) == {("Mohamed al-Menfi", "libya"), ("Government of Türkiye", "turkiye")}


def test_a_military_delegation_arriving_is_a_visit() -> None:
    (event,) = _events(
        "وصل وفد عسكري تركي يرأسه وزير الدفاع يشار غولر إلى طرابلس يوم الاثنين، وكان في "
        "استقباله رئيس الأركان محمد الحداد."
    )
    assert event.type == "visit"
    assert event.location == "Tripoli"


def test_a_sentence_whose_subject_is_the_meeting_gives_its_day_and_place() -> None:
    (event,) = _events(
        "استقبل محمد المنفي سفير تركيا كنعان يلماز في مقر المجلس.\n"
        "وتناول اللقاء، بحسب بيان نشره المجلس أمس، ملف الانتخابات.",
    )
    assert event.date == dt.date(2025, 9, 16)
    (placed,) = _events(
        "التقى محمد المنفي سفير تركيا كنعان يلماز.\n"
        "وقال المنفي في اللقاء الذي عقد يوم الأحد بالعاصمة طرابلس إن العلاقات متينة.",
    )
    assert placed.location == "Tripoli"
    assert placed.date == dt.date(2025, 9, 14)


def test_earlier_the_same_day_is_the_storys_news_not_history() -> None:
    (event,) = _events(
        "وفي وقت سابق من يوم الثلاثاء، التقى هاكان فيدان عبد الحميد الدبيبة في طرابلس."
    )
    assert event.date == dt.date(2025, 9, 16)
    assert not _events("والتقى هاكان فيدان عبد الحميد الدبيبة في وقت سابق في طرابلس.")


def test_people_named_as_absent_from_the_contact_are_not_its_parties() -> None:
    (greeted,) = _events(
        "التقى خلوصي أكار فايز السراج في طرابلس اليوم، ونقل إليه تحيات الرئيس رجب طيب أردوغان."
    )
    assert _parties(greeted) == {("Hulusi Akar", "turkiye"), ("Fayez al-Sarraj", "libya")}
    (son,) = _events("استقبل هاكان فيدان اليوم في أنقرة صدام حفتر، نجل المشير خليفة حفتر.")
    assert ("Khalifa Haftar", "libya") not in _parties(son)
    (condolence,) = _events(
        "أجرى رجب طيب أردوغان اتصالا هاتفيا بعبد الحميد الدبيبة اليوم معزيا بوفاة "
        "رئيس الأركان محمد الحداد."
    )
    assert _parties(condolence) == {
        ("Recep Tayyip Erdogan", "turkiye"),
        ("Abdulhamid Dbeibah", "libya"),
    }


def test_agreeing_with_someone_or_a_photo_together_is_a_meeting_a_state_agreeing_is_not() -> None:
    (agreed,) = _events(
        "اتفق وزير الداخلية عماد الطرابلسي مع نظيره علي يرلي قايا اليوم على تبادل الخبرات."
    )
    assert agreed.type == "meeting"
    (photo,) = _events("ونشر هاكان فيدان اليوم صورة تجمعه مع عبد الحميد الدبيبة في أنقرة.")
    assert photo.type == "meeting"
    assert photo.location == "Ankara"
    assert not _events(
        "اتفقت تركيا مع ليبيا على تمديد المذكرة، بحسب ما قال رجب طيب أردوغان وعبد الحميد "
        "الدبيبة في تصريحين منفصلين."
    )


def test_a_joined_to_or_a_hashtag_marks_a_city_never_a_country() -> None:
    # "the special envoy for Libya" is an office; "#ليبيا" is the story's topic.
    (envoy,) = _events("التقى رجب طيب أردوغان اليوم المبعوث الخاص لليبيا عبد الحميد الدبيبة.")
    assert (envoy.location, envoy.country) == (None, None)
    (tagged,) = _events(
        "التقى عبد الحميد الدبيبة اليوم هاكان فيدان في مكتبه وبحثا ملفات #ليبيا الأمنية."
    )
    assert tagged.country is None


def test_met_spelt_with_a_final_ya_is_met() -> None:
    # "التقي" for "التقى": the final alef maqsura typed as a ya, common on the web.
    (event,) = _events("والتقي هاكان فيدان اليوم عبد الحميد الدبيبة في طرابلس.")
    assert event.type == "meeting"


def test_a_meeting_refused_an_interview_on_air_and_meetings_over_years_are_no_contact() -> None:
    for sentence in (
        "ورفض خليفة حفتر لقاءه رجب طيب أردوغان مطلقا، مؤكدا أن لا حوار مع أنقرة.",
        "ويرفض رجب طيب أردوغان اجتماعه بخليفة حفتر قبل وقف إطلاق النار.",
        "وقال عبد الحميد الدبيبة في لقاء تلفزيوني إن رجب طيب أردوغان صديق لليبيا.",
        "وتكررت اللقاءات بين هاكان فيدان وعبد الحميد الدبيبة في السنوات الأخيرة.",
    ):
        assert not _events(sentence), sentence


def test_the_day_someone_took_office_is_not_the_day_of_his_meeting() -> None:
    (event,) = _events(
        "التقى عبد الحميد الدبيبة وزير الدفاع التركي يشار غولر، الذي تسلم مهامه أمس، في طرابلس."
    )
    assert event.date == WEDNESDAY


def test_a_call_received_or_the_verb_telephoned_is_a_call_a_phone_number_is_not() -> None:
    (received,) = _events("تلقى محمد المنفي اليوم اتصالا من الرئيس رجب طيب أردوغان.")
    assert received.type == "call"
    (phoned,) = _events("وهاتف رجب طيب أردوغان مساء اليوم عبد الحميد الدبيبة لبحث الأوضاع.")
    assert phoned.type == "call"
    assert not _events("وأكد عبد الحميد الدبيبة عبر رقم هاتف مكتبه أن رجب طيب أردوغان صديق قديم.")


def test_more_ways_to_tell_talks_a_call_and_a_guest_visit() -> None:
    (talks,) = _events("وتباحث هاكان فيدان اليوم مع عبد الحميد الدبيبة في أنقرة.")
    assert talks.type == "meeting"
    (call,) = _events("وخلال الاتصال الهاتفي اليوم، أكد رجب طيب أردوغان لمحمد المنفي دعم بلاده.")
    assert call.type == "call"
    (chat,) = _events("أجرى رجب طيب أردوغان محادثة هاتفية اليوم مع عبد الحميد الدبيبة.")
    assert chat.type == "call"
    (guest,) = _events("وحل محمد المنفي اليوم ضيفا على رجب طيب أردوغان في إسطنبول.")
    assert guest.type == "visit"
    assert guest.location == "Istanbul"
    assert not _events(
        "وحل عبد الحميد الدبيبة ضيفا على برنامج تلفزيوني تركي تحدث فيه عن رجب طيب أردوغان."
    )


def test_a_reports_own_day_yields_to_the_day_of_what_it_reports() -> None:
    monday = dt.date(2025, 9, 15)
    (call,) = _events(
        "ونقلت وكالة محلية، اليوم الاثنين، عن مصادر دبلوماسية قولها إن هاكان فيدان أجرى "
        "الاتصال بعبد الحميد الدبيبة أمس الأحد.",
        published=monday,
    )
    assert call.type == "call"
    assert call.date == dt.date(2025, 9, 14)
    # What was said gives no day: the report's stands.
    (meeting,) = _events(
        "قال المكتب الإعلامي يوم السبت إن عبد الحميد الدبيبة التقى هاكان فيدان.",
        published=monday,
    )
    assert meeting.date == dt.date(2025, 9, 13)
