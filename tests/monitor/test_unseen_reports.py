"""The failure kinds issue 19 measured on press reports the monitor had never seen: the start date
taken from another date, cities missed, the wrong country when several are named, participants
missed, and one event in two languages not grouped. Events and persons here are invented."""

from __future__ import annotations

from datetime import date

from jusoor.entities.resolution import spelling_key
from jusoor.monitor import extract, is_same_event

# Start date against the other dates of a report ------------------------------------------------


def test_a_weekday_alone_is_the_event_day_not_a_later_date_of_the_report() -> None:
    x = extract(
        "Nouakchott, 10 déc. 2025 - La chambre criminelle a condamné mardi quatre passeurs à dix"
        " ans de prison, au terme d'un procès ouvert le 2 décembre. Ils avaient été arrêtés le"
        " 14 août 2025 à Nouadhibou.",
        published=date(2025, 12, 10),
    )
    assert (x.event.type, x.event.start) == ("prosecution_or_verdict", date(2025, 12, 9))


def test_an_english_weekday_counts_back_from_publication() -> None:
    x = extract(
        "Doha, September 9 (QNA) - The National Committee for Combating Human Trafficking"
        " organised on Tuesday a workshop on domestic workers, reviewing the law adopted in"
        " October 2020.",
        published=date(2025, 9, 9),
    )
    assert (x.event.start, x.event.end) == (date(2025, 9, 9), date(2025, 9, 9))


def test_until_a_date_is_the_last_day_not_the_first() -> None:
    x = extract(
        "Casablanca, 30 juillet 2025 (MAP) - La Commission a lancé, ce mercredi à Casablanca, une"
        " campagne nationale de sensibilisation qui se poursuivra jusqu'au 30 août.",
        published=date(2025, 7, 30),
    )
    assert (x.event.start, x.event.end) == (date(2025, 7, 30), date(2025, 8, 30))


def test_arabic_today_alone_is_the_publication_day_but_not_a_world_day() -> None:
    today = extract(
        "وقعت اللجنة الوطنية لمكافحة الاتجار بالأشخاص والمنظمة الدولية للهجرة اليوم مذكرة تفاهم.",
        published=date(2025, 4, 16),
    )
    world_day = extract(
        "نظمت اللجنة ندوة بمناسبة اليوم العالمي لمكافحة الاتجار بالأشخاص.",
        published=date(2025, 7, 30),
    )
    assert (today.event.type, today.event.start) == ("agreement_signed", date(2025, 4, 16))
    assert world_day.event.start is None


def test_an_arabic_event_that_runs_for_days_gets_its_last_day() -> None:
    x = extract(
        "بيروت - انطلقت اليوم الثلاثاء في بيروت دورة تدريبية تستمر ثلاثة أيام حول رعاية الناجين.",
        published=date(2026, 1, 27),
    )
    assert (x.event.start, x.event.end) == (date(2026, 1, 27), date(2026, 1, 29))


# Cities ------------------------------------------------------------------------------------------


def test_cities_beyond_the_capitals_are_read() -> None:
    x = extract(
        "Un séminaire sur le travail forcé se tient les 23 et 24 octobre 2025 à Zarzis, avec"
        " l'Organisation internationale du Travail.",
    )
    assert (x.event.city and x.event.city.id, x.event.country) == ("zarzis", "TN")


def test_the_dateline_city_stands_for_the_venue_when_no_other_place_is_named() -> None:
    x = extract(
        "المنامة في 16 أبريل / بنا / وقعت اللجنة الوطنية لمكافحة الاتجار بالأشخاص والمنظمة الدولية"
        " للهجرة اليوم مذكرة تفاهم لتعزيز آلية الإحالة الوطنية.",
        published=date(2025, 4, 16),
    )
    assert (x.event.city and x.event.city.id, x.event.country) == ("manama", "BH")


# The country when several are named -----------------------------------------------------------


def test_a_national_body_tells_which_country_an_ambiguous_city_is_in() -> None:
    # عمان is Amman and Oman; Jordan's committee decides.
    x = extract(
        "أعلنت اللجنة الوطنية لمنع الاتجار بالبشر عن اعتماد الخطة الوطنية لمكافحة الاتجار بالبشر"
        " يوم 22 آذار 2024 في عمان.",
    )
    assert (x.event.city and x.event.city.id, x.event.country) == ("amman", "JO")


def test_the_venue_wins_over_the_countries_of_the_participants() -> None:
    x = extract(
        "Alger, 2 fév. 2026 (APS) - Une session de formation au profit de 35 magistrats de"
        " Tunisie, de Libye et du Mali a débuté lundi à Oran. La formation s'achèvera le 5 février.",
        published=date(2026, 2, 2),
    )
    e = x.event
    assert (e.city and e.city.id, e.country, e.start, e.end) == (
        "oran",
        "DZ",
        date(2026, 2, 2),
        date(2026, 2, 5),
    )


# Participants ----------------------------------------------------------------------------------


def test_a_speaker_without_a_title_is_read_after_a_verb_with_its_arabic_conjunction() -> None:
    x = extract(
        "وقالت ليلى خوري، أخصائية البرامج في هيئة الأمم المتحدة للمرأة، إن التعافي يبدأ بالثقة."
    )
    assert [p.name for p in x.persons] == ["ليلى خوري"]


def test_a_role_after_lower_case_words_still_confirms_a_speaker() -> None:
    x = extract(
        '"Recovery begins with trust," said Layla Khoury, UN Women\'s programme specialist.'
    )
    assert [p.name for p in x.persons] == ["Layla Khoury"]


def test_a_long_nasab_chain_is_read_whole() -> None:
    x = extract(
        "وافتتح الدكتور نعيمة بنت شريف بن عز الدين بن يوسف، رئيس اللجنة الوطنية، أعمال اللقاء."
    )
    assert [p.name for p in x.persons] == ["نعيمة بنت شريف بن عز الدين بن يوسف"]


def test_the_head_count_of_staff_is_read() -> None:
    x = extract(
        "نظمت اللجنة الوطنية اليوم حلقة عمل بمحافظة مسقط بمشاركة 60 موظفا من الجهات المعنية."
    )
    assert (x.event.type, x.event.participants) == ("workshop", 60)


# One event in two languages --------------------------------------------------------------------


def test_latin_spellings_without_the_article_share_the_arabic_key() -> None:
    assert spelling_key("منى الشريف") == spelling_key("Mona El-Sherif")
    assert spelling_key("هدى الخطيب") == spelling_key("Houda Khatib")
    assert spelling_key("يوسف العلوي") == spelling_key("Youssef Alaoui")
    assert spelling_key("حياة مولود") == spelling_key("Hayat Mouloud")
    assert spelling_key("سنية بن صالح") == spelling_key("Sonia Ben Salah")


def test_one_campaign_reported_in_french_and_arabic_is_one_event() -> None:
    french = extract(
        "Casablanca, 30 juillet 2025 (MAP) - La Commission nationale chargée de la coordination"
        " des mesures de lutte contre la traite des êtres humains a lancé, ce mercredi à"
        " Casablanca, une campagne nationale de sensibilisation qui se poursuivra jusqu'au 30 août,"
        " a précisé M. Youssef Alaoui, secrétaire permanent de la Commission.",
        published=date(2025, 7, 30),
    )
    arabic = extract(
        "الدار البيضاء 30 يوليوز 2025 (ومع) - أطلقت اللجنة الوطنية لتنسيق إجراءات مكافحة الاتجار"
        " بالبشر والوقاية منه، اليوم الأربعاء بالدار البيضاء، حملة وطنية تحسيسية تمتد إلى غاية 30"
        " غشت المقبل. وأوضح الكاتب الدائم للجنة، السيد يوسف العلوي، أن الحملة تستهدف الشباب.",
        published=date(2025, 7, 30),
    )
    assert is_same_event(french, arabic)


def test_the_day_news_was_told_is_not_the_day_of_the_arrest() -> None:
    x = extract(
        "CAIRO, Aug 12 - Police in Alexandria arrested four members of a smuggling gang, the"
        " Interior Ministry said on Tuesday. The suspects were caught on Sunday.",
        published=date(2025, 8, 12),
    )
    assert x.event.start == date(2025, 8, 10)


def test_an_arabic_announcement_day_gives_way_to_the_operation_date_before_it() -> None:
    x = extract(
        "أعلنت وزارة الداخلية، اليوم السبت، القبض على شبكة للاتجار بالبشر في البصرة.\n"
        "وذكر بيان للوزارة أن العملية نفذت يوم الخميس 16 تشرين الأول 2025.",
        published=date(2025, 10, 18),
    )
    assert x.event.start == date(2025, 10, 16)


def test_an_event_that_closed_today_after_days_started_days_before() -> None:
    x = extract(
        "عمان (بترا) - اختتمت اليوم الثلاثاء دورة تدريبية حول التحقيق في جرائم الاتجار بالبشر،"
        " واستمرت خمسة أيام.",
        published=date(2026, 3, 3),
    )
    assert (x.event.start, x.event.end) == (date(2026, 2, 27), date(2026, 3, 3))


def test_a_ruling_told_from_the_capital_happened_there() -> None:
    x = extract(
        "Manama, Dec. 4 (BNA): The High Criminal Court today sentenced two men to ten years in"
        " prison for trafficking a woman.",
        published=date(2025, 12, 4),
    )
    assert (x.event.city and x.event.city.id, x.event.country) == ("manama", "BH")


def test_the_name_ali_is_not_the_preposition_ala() -> None:
    x = extract("وقال أمين سر اللجنة العقيد علي الزعبي إن الدورة هي الثانية منذ بداية العام.")
    assert [p.name for p in x.persons] == ["علي الزعبي"]


def test_a_speaker_named_after_role_and_organisation_is_read() -> None:
    x = extract(
        "The campaign will run until 31 July, said UNICEF child protection specialist Amira Osman."
    )
    assert [p.name for p in x.persons] == ["Amira Osman"]


def test_a_head_count_after_a_word_of_taking_part_is_read() -> None:
    x = extract(
        "نظمت اللجنة اليوم ورشة عمل لفائدة 45 من مفتشي العمل.", published=date(2025, 12, 16)
    )
    assert x.event.participants == 45


def test_the_filing_city_is_the_venue_when_only_its_country_is_named() -> None:
    x = extract(
        "الدوحة - قنا\nنظمت اللجنة الوطنية لمكافحة الاتجار بالبشر، اليوم، ورشة عمل لمفتشي العمل"
        " بالتعاون مع مكتب منظمة العمل الدولية في دولة قطر.",
        published=date(2025, 12, 16),
    )
    assert (x.event.city and x.event.city.id, x.event.country) == ("doha", "QA")


def test_a_ruling_without_a_day_of_its_own_is_dated_by_its_dateline_and_a_press_conference_is_a_meeting() -> (
    None
):
    ruling = extract(
        "أبوظبي في 21 يناير / وام / أصدرت محكمة جنايات دبي حكما بسجن أربعة متهمين خمس سنوات.",
        published=date(2026, 1, 21),
    )
    press = extract(
        "Tunis, Jan 8 (TAP) - The Authority presented its annual report on Thursday at a press"
        " conference in Tunis.",
        published=date(2026, 1, 8),
    )
    assert (ruling.event.type, ruling.event.start, ruling.event.city and ruling.event.city.id) == (
        "prosecution_or_verdict",
        date(2026, 1, 21),
        "dubai",
    )
    assert press.event.type == "meeting"


# Held-out 3's misses, read as ways news is written (issue 19, fourth round) ------------------


def _names(text: str, published: date) -> list[str]:
    return [p.name for p in extract(text, published=published).persons]


def test_an_arabic_speaker_introduced_by_role_then_comma_needs_no_title() -> None:
    names = _names(
        "وأوضح رئيس اللجنة، كمال بن يوسف، بأن الحملة ستشمل كل الولايات.",
        date(2025, 6, 3),
    )
    assert names == ["كمال بن يوسف"]


def test_arabic_signatories_named_after_their_roles_without_titles() -> None:
    x = extract(
        "ووقع الاتفاقية أمين عام الوزارة سامر القيسي ومدير مكتب المنظمة في بيروت لوكا مارتيني.",
        published=date(2025, 6, 3),
    )
    assert [(p.name, p.role) for p in x.persons] == [
        ("سامر القيسي", "أمين عام الوزارة"),
        ("لوكا مارتيني", "مدير مكتب المنظمة في بيروت"),
    ]


def test_an_arabic_role_chain_with_no_name_after_it_gives_no_person() -> None:
    assert (
        _names("وأكد رئيس اللجنة الوطنية لمكافحة الاتجار بالبشر أن الورشة ناجحة.", date(2025, 6, 3))
        == []
    )


def test_an_arabic_name_ends_after_its_family_name_with_the_article() -> None:
    names = _names(
        "وأشاد رئيس اللجنة السيد سالم الكعبي بجهود الشركاء، كما أشار الدكتور نور الدين عبد الحق"
        " الزين إلى النتائج.",
        date(2025, 6, 3),
    )
    assert names == ["سالم الكعبي", "نور الدين عبد الحق الزين"]


def test_a_word_between_a_verb_and_a_role_is_not_a_person() -> None:
    names = _names(
        "Some 90 delegates attend the meeting, said Authority president Leila Haddad.",
        date(2025, 6, 3),
    )
    assert names == ["Leila Haddad"]


def test_an_english_name_set_off_by_commas_before_its_role() -> None:
    names = _names(
        "Speaking on Monday, Salma Al Nuaimi, the Committee's rapporteur, said the plan was ready.",
        date(2025, 6, 3),
    )
    assert names == ["Salma Al Nuaimi"]


def test_a_second_signatory_named_after_and_and_a_role() -> None:
    names = _names(
        "The minister signed for Jordan and UNHCR country representative Maria Lopez for the"
        " agency.",
        date(2025, 6, 3),
    )
    assert names == ["Maria Lopez"]


def test_head_counts_in_words_after_a_noun_not_listed_and_before_took_part() -> None:
    def count(text: str) -> int | None:
        return extract(text, published=date(2025, 6, 3)).event.participants

    assert count("Forty-five labour inspectors completed a training course in Amman.") == 45
    assert count("Un atelier a réuni à Tunis quarante-deux magistrats.") == 42
    assert count("وشارك في الورشة خمسة وعشرون ضابطا من الشرطة.") == 25
    assert count("نظمت الهيئة يوما دراسيا بمشاركة 35 متفقدا للشغل.") == 35
    assert count("A seminar was held in Rabat on Tuesday. Twenty social workers took part.") == 20
    assert count("The training, for 12 police and border officers, opened in Aqaba.") == 12


def test_years_countries_and_cases_after_a_word_of_taking_part_are_no_head_count() -> None:
    def count(text: str) -> int | None:
        return extract(text, published=date(2025, 6, 3)).event.participants

    assert count("The court sentenced him for 10 years, in a case opened in Amman.") is None
    assert count("انطلقت اليوم ورشة بمشاركة 15 دولة عربية في تونس.") is None


def test_two_weekdays_joined_are_a_range() -> None:
    fr = extract(
        "Sousse, 4 juin (TAP) - Un atelier sur la traite se tient jeudi et vendredi à Sousse.",
        published=date(2026, 6, 4),
    )
    en = extract(
        "CAIRO, June 10 (Reuters) - Police arrested five suspects in raids on Monday and Tuesday,"
        " the ministry said on Wednesday.",
        published=date(2026, 6, 10),
    )
    ar = extract("نظمت الهيئة يومي الخميس والجمعة ورشة عمل في صفاقس.", published=date(2026, 6, 6))
    assert (fr.event.start, fr.event.end) == (date(2026, 6, 4), date(2026, 6, 5))
    assert (en.event.start, en.event.end) == (date(2026, 6, 8), date(2026, 6, 9))
    assert (ar.event.start, ar.event.end) == (date(2026, 6, 4), date(2026, 6, 5))


def test_today_right_after_a_verb_is_today_and_a_closing_counts_back() -> None:
    x = extract(
        "مسقط في 12 مايو /العمانية/ اختتمت اليوم الدورة التدريبية حول التحقيق في جرائم الاتجار"
        " بالبشر التي نظمتها اللجنة على مدى أربعة أيام.",
        published=date(2026, 5, 12),
    )
    assert (x.event.start, x.event.end) == (date(2026, 5, 9), date(2026, 5, 12))


def test_a_campaign_length_in_months_or_weeks_gives_its_last_day() -> None:
    month = extract(
        "أطلقت اللجنة أمس الأحد بمدينة جدة حملة توعوية تستمر شهرا كاملا.",
        published=date(2026, 3, 2),
    )
    weeks = extract(
        "Amman, March 2 (Petra) -- The committee launched on Monday a two-week awareness campaign"
        " in Irbid.",
        published=date(2026, 3, 2),
    )
    march = extract(
        "أطلقت اللجنة اليوم الأحد حملة توعوية خلال شهر مارس في جدة.", published=date(2026, 3, 1)
    )
    assert (month.event.start, month.event.end) == (date(2026, 3, 1), date(2026, 4, 1))
    assert (weeks.event.start, weeks.event.end) == (date(2026, 3, 2), date(2026, 3, 15))
    assert march.event.end == date(2026, 3, 1)


def test_a_shared_english_committee_name_is_saudi_in_a_saudi_report() -> None:
    x = extract(
        "Riyadh, May 5 (SPA) -- The National Committee to Combat Human Trafficking held a workshop"
        " in Dammam on Tuesday.",
        published=date(2026, 5, 5),
    )
    assert [o.organization.id for o in x.organizations] == ["sa_ncct"]


def test_gulf_and_iraqi_committees_by_their_french_names() -> None:
    doha = extract(
        "Doha, 3 mars (QNA) - Le Comité national de lutte contre la traite des êtres humains du"
        " Qatar a organisé mardi un atelier à Doha.",
        published=date(2026, 3, 3),
    )
    baghdad = extract(
        "Bagdad, 3 mars - Le Comité central de lutte contre la traite des personnes a réuni mardi"
        " les ministères concernés à Bagdad.",
        published=date(2026, 3, 3),
    )
    assert [o.organization.id for o in doha.organizations] == ["qa_nccht"]
    assert [o.organization.id for o in baghdad.organizations] == ["iq_cctip"]


def test_the_persons_counted_in_a_ruling_or_an_arrest_are_no_head_count() -> None:
    x = extract(
        "Oran, 5 mai 2026 (APS) - Le tribunal criminel d'Oran a condamné mardi quatre personnes à"
        " huit ans de prison pour traite des êtres humains.",
        published=date(2026, 5, 5),
    )
    assert (x.event.type, x.event.participants) == ("prosecution_or_verdict", None)
    assert not [e for e in x.evidence if e.kind == "participants"]


def test_victims_freed_and_suspects_arrested_in_one_operation_is_a_raid() -> None:
    raid = extract(
        "Amman, May 4 (Petra) - Police rescued nine women held by a trafficking network in Zarqa"
        " and arrested two suspects on Sunday, the Public Security Directorate said.",
        published=date(2026, 5, 4),
    )
    sea = extract(
        "Tripoli, May 4 - The coast guard rescued 80 migrants off Zuwara on Sunday.",
        published=date(2026, 5, 4),
    )
    assert (raid.event.type, sea.event.type) == ("arrest_or_raid", "rescue")


# Held-out 4's misses, read as ways news is written (issue 19, after held-out 4 was scored) -----


def _when(text: str, published: date) -> tuple[date | None, date | None]:
    x = extract(text, published=published)
    return x.event.start, x.event.end


def test_a_range_from_the_day_told_on_is_the_event_not_the_day() -> None:
    announced = _when(
        "أعلنت الهيئة، يوم الثلاثاء، عن تنظيم ورشة عمل يومي 12 و13 ماي الجاري بسوسة.",
        date(2026, 5, 5),
    )
    runs = _when(
        "Rabat, June 1 - The Commission today launched a campaign in Rabat which runs from 1 to"
        " 20 June.",
        date(2026, 6, 1),
    )
    assert announced == (date(2026, 5, 12), date(2026, 5, 13))
    assert runs == (date(2026, 6, 1), date(2026, 6, 20))


def test_a_weekday_may_name_each_day_of_a_range() -> None:
    assert _when(
        "Une session de formation se tient, du mardi 3 au jeudi 5 février, à Oran.",
        date(2026, 2, 3),
    ) == (date(2026, 2, 3), date(2026, 2, 5))


def test_until_a_weekday_is_the_first_such_day_after_the_start() -> None:
    assert _when(
        "Doha: The committee opened on Sunday a training course in Doha. The course runs until"
        " Wednesday.",
        date(2026, 2, 1),
    ) == (date(2026, 2, 1), date(2026, 2, 4))


def test_a_closing_report_gives_the_first_day_after_a_verb_of_starting() -> None:
    assert _when(
        "عمان - اختتمت اليوم في عمان الدورة التدريبية التي نظمتها اللجنة، والتي بدأت يوم الأحد.",
        date(2026, 2, 4),
    ) == (date(2026, 2, 1), date(2026, 2, 4))


def test_tadoum_gives_the_length_of_an_event() -> None:
    assert _when("انطلقت صباح اليوم بالحمامات ورشة تكوينية تدوم ثلاثة أيام.", date(2026, 2, 4)) == (
        date(2026, 2, 4),
        date(2026, 2, 6),
    )


def test_a_date_shortly_before_the_dateline_dates_an_event_told_in_the_next_sentence() -> None:
    x = extract(
        "Nouakchott, 12 mai 2026 - Le Conseil des ministres s'est réuni le 11 mai 2026. Il a"
        " adopté le projet de loi relatif à la lutte contre la traite des personnes.",
        published=date(2026, 5, 12),
    )
    assert (x.event.type, x.event.start) == ("plan_or_law_adopted", date(2026, 5, 11))


def test_an_arabic_dateline_without_a_comma_is_where_the_news_was_filed() -> None:
    x = extract(
        "الرياض 20 مايو 2026 - اختتم وفد من هيئة حقوق الإنسان زيارة دراسية إلى دولة قطر خلال الفترة"
        " من 17 إلى 19 مايو 2026.",
        published=date(2026, 5, 20),
    )
    assert (x.event.city, x.event.country) == (None, "QA")


def test_a_head_without_a_date_names_the_filing_city() -> None:
    x = extract(
        "المنامة - بنا\nعقدت اللجنة الوطنية لمكافحة الاتجار بالأشخاص اليوم اجتماعها الدوري.",
        published=date(2026, 2, 4),
    )
    assert (x.event.city and x.event.city.id, x.event.country) == ("manama", "BH")


def test_english_speakers_named_after_their_role_or_set_off_by_commas() -> None:
    names = _names(
        "Police spokesman Omar Haddad told reporters the network was dismantled. Lina Costa,"
        " UNODC Country Manager, said the case was one of many, while Sami Nasser, IOM's head of"
        " office, praised the police. Brig. Gen. Fadi Karam added that more arrests would follow.",
        date(2026, 2, 4),
    )
    assert names == ["Omar Haddad", "Lina Costa", "Sami Nasser", "Fadi Karam"]


def test_ali_in_an_arabic_role_chain_and_a_speech_after_a_name() -> None:
    names = _names(
        "وأكد رئيس الهيئة علي أحمد الزبيدي أن الحملة مستمرة، وألقى العقيد سامي الخوري كلمة في الختام.",
        date(2026, 2, 4),
    )
    assert names == ["علي أحمد الزبيدي", "سامي الخوري"]


def test_more_head_count_nouns_and_verbs() -> None:
    def count(text: str) -> int | None:
        return extract(text, published=date(2026, 2, 4)).event.participants

    assert count("A workshop was held in Aqaba. About 45 specialists had taken part.") == 45
    assert count("وتشارك في الورشة ثلاثين أخصائيا اجتماعيا.") == 30


def test_shared_acronyms_a_population_fund_and_a_moroccan_variant() -> None:
    doha = extract(
        "Doha: The National Committee for Combating Human Trafficking (NCCHT) held a meeting in"
        " Doha yesterday.",
        published=date(2026, 2, 4),
    )
    fund = extract(
        "Khartoum - The United Nations Population Fund held a workshop in Khartoum on Tuesday.",
        published=date(2026, 2, 4),
    )
    rabat = extract(
        "الرباط - نظمت اللجنة الوطنية المكلفة بتنسيق إجراءات مكافحة الاتجار بالبشر والوقاية منه"
        " اليوم ورشة بالرباط.",
        published=date(2026, 2, 4),
    )
    assert [o.organization.id for o in doha.organizations] == ["qa_nccht"]
    assert [o.organization.id for o in fund.organizations] == ["unfpa"]
    assert [o.organization.id for o in rabat.organizations] == ["ma_cnclt"]


# Held-out 5's misses, read as ways news is written (issue 19, after held-out 5 was scored) -----


def test_a_training_circle_is_a_training() -> None:
    x = extract(
        "مسقط - بدأت اليوم أعمال الحلقة التدريبية حول التحقيق في قضايا الاتجار بالبشر.",
        published=date(2026, 2, 4),
    )
    assert x.event.type == "training"


def test_a_two_word_role_before_a_name_and_a_french_role_chain_before_a_comma() -> None:
    names = _names(
        "The LMRA chief executive Hasan Jaber said the law would change. « Il faut agir », a"
        " déclaré à Tunis la directrice de l'Institut supérieur de la magistrature, Nadia Sfar,"
        " lors de l'ouverture.",
        date(2026, 2, 4),
    )
    assert names == ["Hasan Jaber", "Nadia Sfar"]


def test_in_the_capital_is_the_capital_of_the_events_country() -> None:
    x = extract(
        "انطلقت، أمس الجمعة بالعاصمة المغربية، أشغال ندوة وطنية حول الاتجار بالبشر"
        " تنظمها اللجنة الوطنية لتنسيق إجراءات مكافحة الاتجار بالبشر والوقاية منه.",
        published=date(2026, 2, 7),
    )
    assert (x.event.city and x.event.city.id, x.event.country) == ("rabat", "MA")


def test_a_closing_verb_right_after_the_day_counts_the_length_back() -> None:
    assert _when(
        "AMMAN — The unit on Thursday concluded a four-day training course in Aqaba.",
        date(2026, 2, 6),
    ) == (date(2026, 2, 2), date(2026, 2, 5))


# Held-out 6's misses, read as ways news is written (issue 19, after held-out 6 was scored) -----


def test_a_campaign_of_three_months_runs_to_the_same_day_three_months_on() -> None:
    english = _when(
        "Sanaa - UNFPA today launched a three-month campaign in Sanaa on child marriage.",
        date(2026, 4, 7),
    )
    arabic = _when(
        "أطلقت الهيئة اليوم حملة توعوية في صفاقس تستمر ثلاثة أشهر.",
        date(2026, 4, 7),
    )
    assert english == (date(2026, 4, 7), date(2026, 7, 7))
    assert arabic == (date(2026, 4, 7), date(2026, 7, 7))


def test_a_cabinet_or_a_parliament_approving_a_plan_or_a_law_is_an_adoption() -> None:
    def kind(text: str) -> str | None:
        return extract(text, published=date(2026, 4, 7)).event.type

    assert kind(
        "وافق مجلس الوزراء في جلسته اليوم الثلاثاء على الاستراتيجية الوطنية للأعوام 2026-2030."
    ) == ("plan_or_law_adopted")
    assert kind("أقر البرلمان أمس مشروع قانون يعدل قانون مكافحة الاتجار بالبشر.") == (
        "plan_or_law_adopted"
    )
    assert kind(
        "The House of Representatives on Monday passed amendments to the anti-trafficking law."
    ) == ("plan_or_law_adopted")
    assert kind("Le Conseil des ministres a approuvé, mercredi, le plan national 2026-2030.") == (
        "plan_or_law_adopted"
    )


def test_signatories_named_after_their_role_after_signed_by() -> None:
    names = _names(
        "The memorandum was signed by Commission Chairperson Leila Haddad and UNODC Regional"
        " Representative Marco Bianchi.",
        date(2026, 4, 7),
    )
    assert names == ["Leila Haddad", "Marco Bianchi"]


def test_the_day_after_tomorrow_and_a_next_weekday_are_ahead_of_publication() -> None:
    arabic = _when(
        "تنطلق في عمان بعد غد الاثنين أعمال ورشة عمل حول الاتجار بالبشر.", date(2026, 4, 4)
    )
    french = _when("Un atelier se tiendra à Tunis jeudi prochain sur la traite.", date(2026, 4, 7))
    english = _when("A workshop on trafficking opens in Amman next Thursday.", date(2026, 4, 7))
    after = _when("A workshop opens in Amman the day after tomorrow.", date(2026, 4, 7))
    assert arabic == (date(2026, 4, 6), date(2026, 4, 6))
    assert french == english == (date(2026, 4, 9), date(2026, 4, 9))
    assert after == (date(2026, 4, 9), date(2026, 4, 9))


def test_only_the_first_day_after_a_reporting_verb_is_the_day_the_news_was_told() -> None:
    assert _when(
        "La Garde nationale a annoncé mardi avoir arrêté, samedi à Sfax, quatre passeurs.",
        date(2026, 4, 8),
    ) == (date(2026, 4, 4), date(2026, 4, 4))


def test_latin_spellings_with_a_glued_article_a_maghreb_l_or_a_dropped_cedilla_match() -> None:
    assert spelling_key("هاني الأنصاري") == spelling_key("Hani Alansari")
    assert spelling_key("فيصل الخطيب") == spelling_key("Faycal Khatib")
    assert spelling_key("محمد الأمين المسعودي") == spelling_key("Mohamed Lamine El-Messaoudi")
    assert spelling_key("يوسف العلوي") == spelling_key(
        "Youssef Alaoui"
    )  # al + vowel, a root letter


def test_compound_given_names_count_as_one_word_of_a_long_name() -> None:
    names = _names(
        "وقال السيد عبد الناصر عيسى عبد الحميد حجازي إن الحملة مستمرة. Mr Nour El-Din Rashid"
        " Abdel Nasser Haddad said the campaign would go on.",
        date(2026, 4, 7),
    )
    assert names == ["عبد الناصر عيسى عبد الحميد حجازي", "Nour El-Din Rashid Abdel Nasser Haddad"]


def test_abd_with_an_assimilated_article_bouchra_and_osman_match_their_arabic() -> None:
    assert spelling_key("عبد السلام بن عبد الرحيم") == spelling_key("Abdeslam Ben Abderrahim")
    assert spelling_key("سارة عبد الناصر") == spelling_key("Sarah Abdennacer")
    assert spelling_key("بشرى الحمداني") == spelling_key("Bouchra Hamdani")
    assert spelling_key("عثمان جمال") == spelling_key("Osman Gamal") == spelling_key("Othman Jamal")


def test_a_pronoun_after_a_verb_of_saying_is_not_part_of_the_name() -> None:
    names = _names(
        "أعلنت اللجنة عن الحملة، حسب ما صرح به سامي الخطيب، رئيس اللجنة الوطنية.",
        date(2026, 4, 7),
    )
    assert names == ["سامي الخطيب"]


# Held-out 7's misses, read as ways news is written (issue 19, after held-out 7 was scored) -----


def test_a_city_name_that_is_also_a_common_word_counts_only_where_a_place_stands() -> None:
    def city(text: str) -> str | None:
        x = extract(text, published=date(2026, 5, 5))
        return x.event.city.id if x.event.city else None

    assert city("العقبة 5 أيار (بترا) - اختتمت اليوم ورشة عمل حول العمل القسري.") == "aqaba"
    assert city("نظمت الوحدة أمس ورشة عمل في العقبة حول العمل القسري.") == "aqaba"
    assert city("نظمت الوحدة أمس ورشة عمل تجاوزت فيها العقبة الأولى أمام الضحايا.") is None


def test_a_course_of_days_is_a_training() -> None:
    x = extract(
        "Amman - Thirty labour inspectors began a five-day course on forced labour on Sunday.",
        published=date(2026, 5, 5),
    )
    assert x.event.type == "training"


def test_head_counts_after_a_bare_preposition_or_with_words_before_the_noun() -> None:
    def count(text: str) -> int | None:
        return extract(text, published=date(2026, 5, 5)).event.participants

    assert count("انطلقت اليوم دورة تدريبية لـ 32 من قضاة التحقيق.") == 32
    assert count("Forty-one labour and social security inspectors attended the workshop.") == 41
    assert count("The workshop gathered 15 countries and international experts in Tunis.") is None


def test_a_ruling_told_in_years_of_prison_is_a_verdict_not_an_arrest() -> None:
    x = extract(
        "Sfax : huit ans de prison pour deux passeurs\nLa chambre criminelle a prononcé jeudi"
        " des peines de huit ans à l'encontre de deux passeurs, arrêtés en mars 2025.",
        published=date(2026, 5, 9),
    )
    assert x.event.type == "prosecution_or_verdict"


def test_an_egyptian_gang_arrest_without_a_date_is_the_day_it_was_published() -> None:
    x = extract(
        "سقوط تشكيل عصابي للاتجار بالأطفال في الإسكندرية\nنجحت الأجهزة الأمنية في ضبط تشكيل"
        " عصابي من أربعة أشخاص يستغل الأطفال في التسول.",
        published=date(2026, 5, 9),
    )
    assert (x.event.type, x.event.start, x.event.end) == (
        "arrest_or_raid",
        date(2026, 5, 9),
        date(2026, 5, 9),
    )


def test_the_mauritanian_authority_by_a_short_french_name_is_not_tunisias() -> None:
    x = extract(
        "Nouakchott - L'Instance nationale de lutte contre la traite des personnes et le trafic"
        " de migrants a organisé mardi un atelier à Nouakchott.",
        published=date(2026, 5, 6),
    )
    assert [o.organization.id for o in x.organizations] == ["mr_inlctptm"]


def test_arabic_roles_of_a_secretary_and_of_the_kings_prosecutor() -> None:
    names = _names(
        "وقالت أمينة سر الجمعية ليلى المصري إن الحملة مستمرة. وأكد الوكيل العام للملك لدى محكمة"
        " الاستئناف بفاس، محمد العلمي، أن النيابة العامة تتابع القضية.",
        date(2026, 5, 6),
    )
    assert names == ["ليلى المصري", "محمد العلمي"]


def test_a_name_led_by_a_lower_case_role_after_by_or_set_off_after_a_member() -> None:
    names = _names(
        "The visit was led by commission member Omar Said. The delegation also met Lina Haddad,"
        " a member of the national committee.",
        date(2026, 5, 6),
    )
    assert names == ["Omar Said", "Lina Haddad"]


def test_a_campaign_runs_until_the_end_of_a_month_or_a_date_months_away() -> None:
    end_of = _when(
        "Khartoum - The committee launched today a campaign in Khartoum which will run until the"
        " end of November.",
        date(2026, 8, 10),
    )
    months_away = _when(
        "Doha - The committee launched today a campaign in Doha which will run until 15 October.",
        date(2026, 7, 1),
    )
    assert end_of == (date(2026, 8, 10), date(2026, 11, 30))
    assert months_away == (date(2026, 7, 1), date(2026, 10, 15))


def test_off_a_town_is_where_an_interception_at_sea_happened() -> None:
    french = extract(
        "La Garde nationale de Médenine a arrêté samedi, au large de Zarzis, trois passeurs.",
        published=date(2026, 5, 10),
    )
    english = extract(
        "Coast guards from Sabratha arrested two smugglers on Saturday off Zuwara.",
        published=date(2026, 5, 10),
    )
    assert french.event.city is not None and french.event.city.id == "zarzis"
    assert english.event.city is not None and english.event.city.id == "zuwara"


# Held-out 8's misses, read as ways news is written (issue 19, after held-out 8 was scored) -----


def test_an_iraqi_period_from_one_day_until_another() -> None:
    assert _when(
        "بغداد - اختتمت الدورة التدريبية التي أقيمت للمدة من 12 ولغاية 15 آذار الحالي في بغداد.",
        date(2026, 3, 17),
    ) == (date(2026, 3, 12), date(2026, 3, 15))


def test_a_committee_holding_its_meeting_is_a_meeting() -> None:
    x = extract(
        "الدوحة - عقدت اللجنة الوطنية لمكافحة الاتجار بالبشر أمس اجتماعها الثاني لهذا العام.",
        published=date(2026, 3, 17),
    )
    assert x.event.type == "meeting"


def test_lengths_of_eight_to_fourteen_days_and_for_a_period_of() -> None:
    assert _when(
        "Une campagne a été lancée lundi à Rosso pour une durée de douze jours.",
        date(2026, 3, 17),
    ) == (date(2026, 3, 16), date(2026, 3, 27))


def test_the_day_before_yesterday_in_three_languages() -> None:
    assert _when(
        "La cour d'appel de Sfax a condamné, avant-hier, deux passeurs.", date(2026, 3, 19)
    ) == (date(2026, 3, 17), date(2026, 3, 17))
    assert _when("أدانت محكمة الجنايات بوهران، أول أمس، ثلاثة متهمين.", date(2026, 3, 19)) == (
        date(2026, 3, 17),
        date(2026, 3, 17),
    )
    assert _when(
        "A Beirut court the day before yesterday sentenced two men to prison.", date(2026, 3, 19)
    ) == (date(2026, 3, 17), date(2026, 3, 17))


def test_french_speakers_after_selon_or_a_possessive_role_and_english_after_a_title_chain() -> None:
    names = _names(
        "Selon Salma Gharbi, juge et membre de l'Instance, les cas ont doublé. Une centaine de"
        " personnes sont attendues, a annoncé son directeur général, Karim Jaziri, lors d'un"
        " point de presse. Elle vise les jeunes, a expliqué sa coordinatrice régionale, Aicha"
        ' Mint Ahmed. "It works," said Deputy Chief of Mission Paul Green. The accord was'
        " signed by Sara Nabil and the EU ambassador to Jordan, Marc Weber.",
        date(2026, 3, 17),
    )
    assert names == ["Salma Gharbi", "Karim Jaziri", "Aicha Mint Ahmed", "Paul Green", "Marc Weber"]


def test_a_speaker_after_a_quote_or_before_a_relative_clause_needs_no_role_noun() -> None:
    names = _names(
        '"No victim should be detained," said Lena Fischer. The plan was welcomed, said Omar'
        " Nasser, who leads the unit. Officials said Tuesday the plan was ready.",
        date(2026, 3, 17),
    )
    assert names == ["Lena Fischer", "Omar Nasser"]


def test_an_embassy_in_the_capital_is_its_seat_not_the_venue() -> None:
    x = extract(
        "The EU Delegation in Amman and UNODC opened on Sunday a training in Aqaba for judges.",
        published=date(2026, 3, 17),
    )
    assert x.event.city is not None and x.event.city.id == "aqaba"


def test_a_title_that_is_a_family_name_and_a_second_signatory_after_a_comma() -> None:
    names = _names(
        "ووقع المذكرة السيدة سلوى السيد مديرة الإدارة، وماركو روسي ممثل المنظمة في مصر، ومنظمة"
        " العمل الدولية ممثلة في مديرها. وأوضح الكاتب العام للوزارة، يوسف الإدريسي، أن الاتفاق"
        " يدخل حيز التنفيذ.",
        date(2026, 3, 17),
    )
    assert names == ["سلوى السيد", "ماركو روسي", "يوسف الإدريسي"]


# Held-out 9's misses, read as ways news is written (issue 19, after held-out 9 was scored) -----


def test_a_week_long_or_month_long_event_gets_its_last_day() -> None:
    assert _when(
        "Muscat - The committee opened today a week-long course in Sohar for inspectors.",
        date(2026, 3, 2),
    ) == (date(2026, 3, 2), date(2026, 3, 8))
    assert _when(
        "Doha - The committee launched today a month-long campaign in Doha.", date(2026, 3, 2)
    ) == (date(2026, 3, 2), date(2026, 4, 2))


def test_gendarmes_policemen_and_lawyers_are_a_head_count() -> None:
    def count(text: str) -> int | None:
        return extract(text, published=date(2026, 3, 2)).event.participants

    assert (
        count("Vingt-deux gendarmes de Tahoua suivent depuis lundi une formation à Niamey.") == 22
    )
    assert count("Eighteen lawyers from Tripoli joined a training course in Tunis on Monday.") == 18


def test_a_cabinet_approving_a_bylaw_is_an_adoption() -> None:
    x = extract(
        "عمان - أقر مجلس الوزراء، في جلسته التي عقدها أمس، نظام صندوق مساعدة ضحايا الاتجار بالبشر.",
        published=date(2026, 3, 2),
    )
    assert x.event.type == "plan_or_law_adopted"


def test_a_study_visit_is_where_it_goes_not_the_visitors_country() -> None:
    x = extract(
        "بدأ وفد من اللجنة الوطنية لمكافحة الاتجار بالبشر في سلطنة عمان، اليوم، زيارة دراسية إلى"
        " دولة قطر تستمر ثلاثة أيام.",
        published=date(2026, 3, 2),
    )
    assert x.event.country == "QA"


def test_kurdish_and_other_spellings_of_iraqi_cities() -> None:
    def city(text: str) -> str | None:
        x = extract(text, published=date(2026, 3, 2))
        return x.event.city.id if x.event.city else None

    assert city("A workshop on trafficking was held in Sulaimani on Sunday.") == "sulaymaniyah"
    assert city("A workshop on trafficking was held in Arbil on Sunday.") == "erbil"


# Held-out 10's misses, read as ways news is written (issue 19, after held-out 10 was scored) ---


def test_until_a_named_day_and_its_date_is_the_last_day() -> None:
    assert _when(
        "Rabat - The commission today launched a campaign in Rabat which runs until World Day"
        " against Trafficking on 30 July.",
        date(2026, 6, 15),
    ) == (date(2026, 6, 15), date(2026, 7, 30))


def test_a_speaker_after_a_present_tense_verb_of_saying() -> None:
    names = _names(
        "« Les réseaux s'adaptent », explique Awa Diallo, responsable d'un centre d'accueil."
        ' "Nothing has changed," says Omar Farouk, director of a shelter.',
        date(2026, 6, 15),
    )
    assert names == ["Awa Diallo", "Omar Farouk"]


def test_a_country_at_the_head_of_a_report_is_the_events_country() -> None:
    x = extract(
        "الكويت - الأنباء\nقضت محكمة الجنايات أمس بحبس متهمين بالاتجار بالبشر.",
        published=date(2026, 6, 15),
    )
    assert (x.event.city, x.event.country) == (None, "KW")


def test_a_counterpart_named_after_a_possessive() -> None:
    names = _names(
        "L'accord a été signé par le ministre tunisien, Ali Mejri, et son homologue libyen,"
        " Salem Ferjani.",
        date(2026, 6, 15),
    )
    assert names == ["Ali Mejri", "Salem Ferjani"]


# Held-out 11's miss, read as a way news is written (issue 19, after held-out 11 was scored) ----


def test_a_secretary_of_state_named_after_a_role_chain() -> None:
    names = _names(
        "La réunion a été coprésidée par le directeur de la police, Ali Amrani, et le secrétaire"
        " d'État italien à l'Intérieur, Marco Conti.",
        date(2026, 6, 15),
    )
    assert names == ["Ali Amrani", "Marco Conti"]
