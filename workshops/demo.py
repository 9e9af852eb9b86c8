"""Demo workshops for `seed_demo`: a two-day online regional workshop (40 participants from ten
countries) and a three-day in-person national one (30 judges, prosecutors and officers), with
sessions, attendance and pre/post results, so the knowledge-gain report has real-looking figures
from the first `make run`. Every person here is fictional.

Deterministic (one seeded random generator; dates relative to the day of seeding) and
idempotent: a workshop already there is left as it is. Rows are written in bulk.
"""

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone, translation

from cms.models import Organisation
from cms.roles import GROUP_NAMES, Role
from courses import rollups
from courses.models import ActivityCompletion, CourseIndexPage, CoursePage, Enrolment
from courses.selectors import activity_models
from quizzes.models import QuestionCategory, QuizAttempt, QuizDraw, QuizPage, Response
from quizzes.selectors import layout_keys, questions_with_children
from quizzes.services import attempt_layout, attempt_save_answers, attempt_start, attempt_submit

from . import selectors, services
from .models import Attendance, Participant, Workshop, WorkshopCourse, WorkshopSession

SEED = 14
TESTS_COURSE = "workshop-tests"

COUNTRIES = ["DZ", "BF", "TD", "LY", "ML", "MA", "MR", "NE", "SN", "TN"]
# Mean pre-test score and mean gain (percentage points) by country: different, plausible.
PROFILE = {
    "DZ": (46, 24), "BF": (38, 27), "TD": (35, 22), "LY": (41, 19), "ML": (37, 25),
    "MA": (52, 21), "MR": (40, 18), "NE": (43, 28), "SN": (47, 26), "TN": (50, 23),
}  # fmt: skip
ARABIC_LANGUAGE = {"DZ", "LY", "MA", "MR", "TN"}

MAGHREB_FIRST = [
    ("Youssef", "يوسف"), ("Amina", "أمينة"), ("Karim", "كريم"), ("Leila", "ليلى"),
    ("Mehdi", "مهدي"), ("Nour", "نور"), ("Samir", "سمير"), ("Imane", "إيمان"),
    ("Hichem", "هشام"), ("Sonia", "سنية"), ("Walid", "وليد"), ("Rania", "رانية"),
    ("Khaled", "خالد"), ("Meriem", "مريم"), ("Anis", "أنيس"), ("Houda", "هدى"),
    ("Nabil", "نبيل"), ("Asma", "أسماء"), ("Tarek", "طارق"), ("Wafa", "وفاء"),
]  # fmt: skip
MAGHREB_LAST = [
    ("Benali", "بن علي"), ("El Idrissi", "الإدريسي"), ("Haddad", "حداد"),
    ("Trabelsi", "الطرابلسي"), ("Mansouri", "المنصوري"), ("Chaabane", "شعبان"),
    ("Gharbi", "الغربي"), ("Ould Ahmed", "ولد أحمد"), ("Belkacem", "بلقاسم"),
    ("Zeroual", "زروال"), ("Amrani", "العمراني"), ("Saidi", "السعيدي"),
    ("Ferjani", "الفرجاني"), ("Meftah", "مفتاح"), ("Ould Sidi", "ولد سيدي"),
    ("Bensaid", "بن سعيد"),
]  # fmt: skip
SAHEL_FIRST = [
    "Moussa", "Aminata", "Ibrahim", "Fatoumata", "Oumar", "Mariam", "Souleymane", "Aïssata",
    "Boubacar", "Kadidia", "Abdoulaye", "Ramatou", "Idrissa", "Hadiza", "Adama", "Awa",
    "Ousmane", "Zalika", "Seydou", "Rokia", "Mahamat", "Achta",
]  # fmt: skip
SAHEL_LAST = [
    "Traoré", "Ouédraogo", "Diallo", "Coulibaly", "Keïta", "Sawadogo", "Maïga", "Ndiaye",
    "Sow", "Fall", "Diop", "Abakar", "Djibrine", "Zongo", "Soumana", "Hamani", "Touré",
    "Sanogo", "Cissé", "Garba", "Moustapha", "Barry",
]  # fmt: skip

ORGANISATIONS = {
    "police": {
        "en": "Judicial Police — Cybercrime Unit",
        "fr": "Police judiciaire — Brigade de lutte contre la cybercriminalité",
        "ar": "الشرطة القضائية — وحدة مكافحة الجرائم الإلكترونية",
    },
    "prosecution": {
        "en": "Public Prosecutor's Office — Counter-Terrorism Division",
        "fr": "Parquet — Pôle de lutte contre le terrorisme",
        "ar": "النيابة العامة — قطب مكافحة الإرهاب",
    },
    "court": {
        "en": "Specialised Judicial Division for Counter-Terrorism",
        "fr": "Pôle judiciaire spécialisé en matière de lutte contre le terrorisme",
        "ar": "القطب القضائي المتخصص في مكافحة الإرهاب",
    },
}


def _t(en: str, fr: str, ar: str) -> dict[str, str]:
    return {"en": en, "fr": fr, "ar": ar}


REGIONAL = {
    "slug": "regional-online-internet-evidence",
    "title": _t(
        "Regional online workshop: terrorist use of the Internet and cross-border electronic "
        "evidence",
        "Atelier régional en ligne : utilisation d'Internet à des fins terroristes et preuve "
        "électronique transfrontière",
        "ورشة عمل إقليمية عبر الإنترنت: استخدام الإنترنت لأغراض إرهابية والأدلة الإلكترونية "
        "العابرة للحدود",
    ),
    "description": _t(
        "<p>Two days online for investigators, prosecutors and judges from ten countries of the "
        "Sahel and North Africa: how terrorist groups use the Internet, and how to obtain "
        "electronic evidence held abroad so that it stands up in court.</p>",
        "<p>Deux jours en ligne pour des enquêteurs, procureurs et juges de dix pays du Sahel et "
        "d'Afrique du Nord : comment les groupes terroristes utilisent Internet, et comment "
        "obtenir des preuves électroniques détenues à l'étranger qui résistent à l'examen du "
        "juge.</p>",
        "<p>يومان عبر الإنترنت لمحققين وأعضاء نيابة وقضاة من عشرة بلدان في منطقة الساحل وشمال "
        "أفريقيا: كيف تستخدم الجماعات الإرهابية الإنترنت، وكيف يُحصل على الأدلة الإلكترونية "
        "المحفوظة في الخارج على نحو يصمد أمام القضاء.</p>",
    ),
    "mode": Workshop.Mode.ONLINE,
    "country": "",
    "time_zone": "Africa/Niamey",
    "ends_days_ago": 12,
    "days": 2,
    "categories": [("electronic-evidence", 5), ("foreign-terrorist-fighters", 3)],
    "courses": [("electronic-evidence", None, 30), ("foreign-terrorist-fighters", None, 45)],
    "sessions": [
        _t(
            "How terrorist groups use the Internet: propaganda, recruitment, financing",
            "Comment les groupes terroristes utilisent Internet : propagande, recrutement, "
            "financement",
            "كيف تستخدم الجماعات الإرهابية الإنترنت: الدعاية والتجنيد والتمويل",
        ),
        _t(
            "Types of electronic evidence and who holds them",
            "Les types de preuves électroniques et leurs détenteurs",
            "أنواع الأدلة الإلكترونية والجهات التي تحوزها",
        ),
        _t(
            "Preservation and emergency disclosure requests",
            "Demandes de conservation et de divulgation d'urgence",
            "طلبات حفظ البيانات والإفصاح في حالات الطوارئ",
        ),
        _t(
            "Mutual legal assistance and direct cooperation with service providers",
            "Entraide judiciaire et coopération directe avec les fournisseurs de services",
            "المساعدة القانونية المتبادلة والتعاون المباشر مع مقدّمي الخدمات",
        ),
        _t(
            "Case study: a cross-border investigation, step by step",
            "Étude de cas : une enquête transfrontière, étape par étape",
            "دراسة حالة: تحقيق عابر للحدود خطوة بخطوة",
        ),
        _t(
            "Chain of custody and admissibility in court",
            "Chaîne de possession et recevabilité devant le juge",
            "سلسلة حيازة الأدلة ومقبوليتها أمام القضاء",
        ),
    ],
    "speakers": ["Dr. Aïcha Maïga", "Youssef El Alami", "Fatou Ndiaye", "Judge Karim Belhadj"],
}

NATIONAL = {
    "slug": "national-sit-online-recruitment",
    "title": _t(
        "National workshop: special investigation techniques against the online recruitment "
        "of foreign terrorist fighters",
        "Atelier national : les techniques spéciales d'enquête face au recrutement en ligne de "
        "combattants terroristes étrangers",
        "ورشة عمل وطنية: أساليب التحري الخاصة في مواجهة التجنيد عبر الإنترنت للمقاتلين "
        "الإرهابيين الأجانب",
    ),
    "description": _t(
        "<p>Three days in Niamey for judges, prosecutors and judicial police officers: the law "
        "and safeguards of special investigation techniques, and how their product becomes "
        "evidence.</p>",
        "<p>Trois jours à Niamey pour des juges, procureurs et officiers de police judiciaire : "
        "le droit et les garanties des techniques spéciales d'enquête, et comment leur produit "
        "devient une preuve.</p>",
        "<p>ثلاثة أيام في نيامي لقضاة وأعضاء نيابة وضباط شرطة قضائية: القانون والضمانات التي "
        "تحكم أساليب التحري الخاصة، وكيف يصبح ما تسفر عنه دليلاً.</p>",
    ),
    "mode": Workshop.Mode.IN_PERSON,
    "country": "NE",
    "time_zone": "Africa/Niamey",
    "ends_days_ago": 40,
    "days": 3,
    "categories": [("special-investigation-techniques", 5), ("foreign-terrorist-fighters", 3)],
    "courses": [
        ("foreign-terrorist-fighters", -1, None),
        ("special-investigation-techniques", None, 30),
    ],
    "sessions": [
        _t(
            "The legal framework of special investigation techniques",
            "Le cadre juridique des techniques spéciales d'enquête",
            "الإطار القانوني لأساليب التحري الخاصة",
        ),
        _t(
            "Online recruitment of foreign terrorist fighters: patterns and indicators",
            "Le recrutement en ligne de combattants terroristes étrangers : schémas et indicateurs",
            "التجنيد عبر الإنترنت للمقاتلين الإرهابيين الأجانب: الأنماط والمؤشرات",
        ),
        _t(
            "Safeguards: authorisation, proportionality and judicial oversight",
            "Garanties : autorisation, proportionnalité et contrôle judiciaire",
            "الضمانات: الإذن والتناسب والرقابة القضائية",
        ),
        _t(
            "Undercover online investigations",
            "Les enquêtes sous pseudonyme en ligne",
            "التحقيقات السرية عبر الإنترنت",
        ),
        _t(
            "Interception of communications and lawful access to data",
            "L'interception des communications et l'accès légal aux données",
            "اعتراض الاتصالات والنفاذ المشروع إلى البيانات",
        ),
        _t(
            "Open-source intelligence (OSINT) in practice",
            "Le renseignement d'origine sources ouvertes (OSINT) en pratique",
            "استخبارات المصادر المفتوحة في الممارسة العملية",
        ),
        _t(
            "From intelligence to evidence",
            "Du renseignement à la preuve",
            "من المعلومة الاستخباراتية إلى الدليل",
        ),
        _t(
            "Moot court: challenging evidence from a special technique",
            "Procès simulé : contester une preuve issue d'une technique spéciale",
            "محاكمة صورية: الطعن في دليل مستمد من أسلوب تحرٍّ خاص",
        ),
        _t(
            "Cooperation between investigators, prosecutors and judges",
            "La coopération entre enquêteurs, procureurs et juges",
            "التعاون بين المحققين وأعضاء النيابة والقضاة",
        ),
    ],
    "speakers": ["Judge Mariama Soumana", "Abdoulaye Garba", "Dr. Hadiza Moustapha"],
}

SLOTS = [(time(9), time(10, 30)), (time(11), time(12, 30)), (time(14), time(15, 30))]


def _set(obj, field: str, values: dict[str, str]) -> None:
    for code, value in values.items():
        setattr(obj, f"{field}_{code}", value)
    setattr(obj, field, values["en"])


# --- the test quizzes -------------------------------------------------------------------------


def _category_of(course_slug: str) -> QuestionCategory:
    """The bank category holding the questions of a demo course's quiz."""
    course = CoursePage.objects.get(slug_en=course_slug)
    return QuestionCategory.objects.get(name_en=course.title_en)


def _tests_course() -> CoursePage:
    course = CoursePage.objects.filter(slug_en=TESTS_COURSE).first()
    if course is not None:
        return course
    index = CourseIndexPage.objects.get()
    with translation.override("en"):
        course = CoursePage(slug=TESTS_COURSE, slug_en=TESTS_COURSE, estimated_minutes=40)
        _set(course, "title", _t("Workshop pre-tests and post-tests",
                                 "Pré-tests et post-tests des ateliers",
                                 "الاختبارات القبلية والبعدية للورش"))  # fmt: skip
        _set(course, "summary", _t(
            "The tests taken before and after each workshop, to measure what was learned.",
            "Les tests passés avant et après chaque atelier, pour mesurer ce qui a été appris.",
            "الاختبارات التي تُجرى قبل كل ورشة وبعدها لقياس ما تم تعلّمه.",
        ))  # fmt: skip
        index.add_child(instance=course)
        course.save_revision().publish()
    return course


def _test_quiz(course: CoursePage, spec: dict, kind: str) -> QuizPage:
    slug = f"{spec['slug']}-{kind}"
    quiz = QuizPage.objects.filter(slug_en=slug).first()
    if quiz is not None:
        return quiz
    names = {
        "pre": _t("Pre-test", "Pré-test", "الاختبار القبلي"),
        "post": _t("Post-test", "Post-test", "الاختبار البعدي"),
    }[kind]
    course.refresh_from_db()
    with translation.override("en"):
        quiz = QuizPage(slug=slug, slug_en=slug, required=False, pass_mark=60, attempts_allowed=1)
        _set(quiz, "title", {c: f"{names[c]} — {spec['title'][c]}" for c in ("en", "fr", "ar")})
        _set(quiz, "intro", _t(
            "<p>One attempt. Your score is recorded to measure what the workshop taught; it "
            "does not count towards any course.</p>",
            "<p>Une seule tentative. Votre score est enregistré pour mesurer ce que l'atelier a "
            "apporté ; il ne compte pour aucun cours.</p>",
            "<p>محاولة واحدة. تُسجَّل نتيجتك لقياس ما قدّمته الورشة، ولا تُحتسب في أي دورة.</p>",
        ))  # fmt: skip
        quiz.draws = [
            QuizDraw(category=_category_of(category), count=count, sort_order=n)
            for n, (category, count) in enumerate(spec["categories"])
        ]
        course.add_child(instance=quiz)
        quiz.save_revision().publish()
    quiz.refresh_from_db()
    return quiz


# --- people -----------------------------------------------------------------------------------


def _organisation(key: str, country: str) -> Organisation:
    names = ORGANISATIONS[key]
    organisation, _created = Organisation.objects.get_or_create(
        name_en=names["en"],
        country=country,
        defaults={"name": names["en"], "name_fr": names["fr"], "name_ar": names["ar"]},
    )
    return organisation


def _people(rng: random.Random, countries: list[str], keys: list[str], prefix: str) -> list:
    """Fictional officers, one per country entry, created in bulk (no password: demo
    participants do not sign in)."""
    User = get_user_model()
    taken = set(User.objects.values_list("username", flat=True))
    rows = []
    for n, country in enumerate(countries):
        organisation = _organisation(keys[n % len(keys)], country)
        if country in ARABIC_LANGUAGE:
            (first, first_ar), (last, last_ar) = rng.choice(MAGHREB_FIRST), rng.choice(MAGHREB_LAST)
            arabic = f"{first_ar} {last_ar}"
            language = "ar" if rng.random() < 0.6 else "fr"
        else:
            first, last, arabic = rng.choice(SAHEL_FIRST), rng.choice(SAHEL_LAST), ""
            language = "ar" if country == "TD" and rng.random() < 0.4 else "fr"
        base = f"{prefix}.{_ascii(first)}.{_ascii(last)}"
        username, k = base, 2
        while username in taken:
            username, k = f"{base}{k}", k + 1
        taken.add(username)
        user = User(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@demo.tadrib.invalid",
            organisation=organisation,
            preferred_language=language,
            full_name_arabic=arabic,
            full_name_latin=f"{first} {last}",
        )
        user.set_unusable_password()
        rows.append(user)
    User.objects.bulk_create(rows)
    created = list(
        User.objects.filter(username__in=[u.username for u in rows])
        .select_related("organisation")
        .order_by("pk")
    )
    learners = Group.objects.get(name=GROUP_NAMES[Role.LEARNER])
    learners.user_set.add(*created)
    return created


def _ascii(name: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return plain.lower().replace(" ", "")


# --- results ----------------------------------------------------------------------------------


def _clamp(value: float, low: float = 3, high: float = 98) -> float:
    return max(low, min(high, value))


def _bulk_attempt(*, user, quiz, layout, ability: float, rng, when, language):
    """A submitted attempt whose every question is right with probability `ability` (0–1):
    the score follows from the fractions, as scoring computes it."""
    fractions = []
    for entry in layout:
        if entry["type"] in ("matching", "ordering", "multiple"):
            fraction = Decimal(sum(rng.random() < ability for _ in range(3))) / 3
        else:
            fraction = Decimal(int(rng.random() < ability))
        fractions.append(fraction.quantize(Decimal("0.000001")))
    marks = [entry["marks"] for entry in layout]
    total = sum(marks) or 1
    score = (sum(f * m for f, m in zip(fractions, marks, strict=True)) * 100 / total).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    attempt = QuizAttempt(
        user=user,
        quiz=quiz,
        number=1,
        state=QuizAttempt.State.SUBMITTED,
        started_at=when - timedelta(minutes=25),
        submitted_at=when,
        score=score,
        passed=score >= quiz.pass_mark,
        language=language,
        layout=layout,
    )
    responses = [
        (entry["question"], entry["marks"], fraction)
        for entry, fraction in zip(layout, fractions, strict=True)
    ]
    return attempt, responses


def _complete_courses(users, course: CoursePage, when: datetime) -> None:
    """Courses done: every required activity complete, the enrolment completed (in bulk)."""
    activities = [
        page
        for model in activity_models()
        for page in model.objects.child_of(course).live()
        if page.required
    ]
    ActivityCompletion.objects.bulk_create(
        [
            ActivityCompletion(
                user=user,
                activity=page,
                course=course,
                state=ActivityCompletion.State.COMPLETE,
                completed_at=when,
                last_seen_at=when,
                language=user.preferred_language,
                score=Decimal("80.00") if isinstance(page, QuizPage) else None,
                passed=True if isinstance(page, QuizPage) else None,
                attempts=1 if isinstance(page, QuizPage) else 0,
            )
            for user in users
            for page in activities
        ],
        ignore_conflicts=True,
    )
    Enrolment.objects.filter(course=course, user__in=users).update(
        completed_at=when, last_activity_at=when
    )
    for user in users:  # the reports' rollups of what was written in bulk
        rollups.enrolment_refresh(user_id=user.pk, course_id=course.pk)


# --- the workshops ----------------------------------------------------------------------------


def _workshop(spec: dict, *, today: date, host, trainer) -> Workshop:
    ends_on = today - timedelta(days=spec["ends_days_ago"])
    starts_on = ends_on - timedelta(days=spec["days"] - 1)
    workshop = Workshop(
        slug=spec["slug"],
        starts_at=datetime.combine(starts_on, time(7, 30), tzinfo=UTC),
        ends_at=datetime.combine(ends_on, time(15, 0), tzinfo=UTC),
        time_zone=spec["time_zone"],
        mode=spec["mode"],
        venue_country=spec["country"],
        host_organisation=host,
    )
    _set(workshop, "title", spec["title"])
    _set(workshop, "description", spec["description"])
    workshop.save()
    if trainer is not None:
        workshop.facilitators.add(trainer)
        workshop.save()
    sessions = []
    for n, topic in enumerate(spec["sessions"]):
        start, end = SLOTS[n % len(SLOTS)]
        session = WorkshopSession(
            workshop=workshop,
            date=starts_on + timedelta(days=n // len(SLOTS)),
            start_time=start,
            end_time=end,
            speaker=spec["speakers"][n % len(spec["speakers"])],
        )
        _set(session, "topic", topic)
        sessions.append(session)
    WorkshopSession.objects.bulk_create(sessions)
    for n, (slug, due_before_start, due_after) in enumerate(spec["courses"]):
        WorkshopCourse.objects.create(
            workshop=workshop,
            course=CoursePage.objects.get(slug_en=slug),
            due_date=starts_on + timedelta(days=due_before_start)
            if due_before_start is not None
            else None,
            due_days_after_end=due_after,
            position=n,
        )
    return workshop


def _results(workshop: Workshop, people, *, rng: random.Random, skip_pre=(), skip_post=()):
    """Attendance, pre/post attempts and completed courses for the demo participants."""
    participants = {
        p.user_id: p for p in Participant.objects.filter(workshop=workshop, user__in=people)
    }
    sessions = list(workshop.sessions.all())
    span = selectors.span_of(workshop, sessions)
    marks = []
    for user in people:
        # Most attend nearly everything; a few miss enough to fall under the threshold.
        presence = 0.55 if rng.random() < 0.12 else 0.95
        for session in sessions:
            marks.append(
                Attendance(
                    session=session,
                    participant=participants[user.pk],
                    attended=rng.random() < presence,
                    recorded_at=span.last_ends,
                )
            )
    Attendance.objects.bulk_create(marks)
    attempts, responses = [], []
    for user in people:
        country = user.organisation.country.code
        base, gain = PROFILE.get(country, (42, 22))
        pre = _clamp(rng.gauss(base, 9))
        post = _clamp(pre + rng.gauss(gain, 8), low=pre - 5)
        for quiz, ability, when, skip in (
            (workshop.pre_test, pre, span.first_starts - timedelta(days=2), skip_pre),
            (workshop.post_test, post, span.last_ends + timedelta(days=1), skip_post),
        ):
            if user.username in skip:
                continue
            layout = attempt_layout(quiz, rng)
            attempt, rows = _bulk_attempt(
                user=user,
                quiz=quiz,
                layout=layout,
                ability=ability / 100,
                rng=rng,
                when=when + timedelta(minutes=rng.randrange(600)),
                language=user.preferred_language,
            )
            attempts.append(attempt)
            responses.append(rows)
    QuizAttempt.objects.bulk_create(attempts)
    Response.objects.bulk_create(
        [
            Response(attempt=attempt, question_id=question, marks=marks, fraction=fraction)
            for attempt, rows in zip(attempts, responses, strict=True)
            for question, marks, fraction in rows
        ],
        batch_size=2000,
    )
    finished = span.last_ends + timedelta(days=3)
    for link in workshop.courses.select_related("course"):
        done = [user for user in people if rng.random() < 0.8]
        _complete_courses(done, link.course, finished)


def _investigator_pre_test(workshop: Workshop, user) -> None:
    """The demo investigator took the pre-test the day before the workshop, for real (through
    the quiz services, with her answers): single-choice and true/false questions right."""
    span = selectors.span_of(workshop)
    when = span.first_starts - timedelta(days=1)
    attempt = attempt_start(
        user=user, quiz=workshop.pre_test, language="ar", now=when, rng=random.Random(SEED)
    )
    keys = layout_keys(attempt.layout, questions_with_children(attempt.question_ids))
    answers = {}
    for question_id, key in keys.items():
        if getattr(key, "correct", None) and len(key.correct) == 1:
            answers[question_id] = next(iter(key.correct))
        elif hasattr(key, "answer") and isinstance(key.answer, bool):
            answers[question_id] = key.answer
    attempt_save_answers(attempt=attempt, answers=answers, now=when + timedelta(minutes=20))
    attempt_submit(attempt=attempt, now=when + timedelta(minutes=21))


# How the participants of each workshop rate its evaluation's scale questions (one weight per
# point, 1 to 5): the national workshop in person was rated a little higher.
EVALUATION_WEIGHTS = {REGIONAL["slug"]: [1, 2, 4, 6, 4], NATIONAL["slug"]: [1, 1, 2, 6, 7]}


def _surveys(regional: Workshop, national: Workshop, investigator) -> None:
    """The demo surveys (surveys/demo.py) become both workshops' needs assessment and
    evaluation, and most participants answer them (fictional answers, a seeded generator): the
    survey results then break down by workshop and by country. The demo investigator has
    answered neither, so her workshop page offers both."""
    from surveys.demo import demo_answers, demo_seed_surveys
    from surveys.services import response_submit

    surveys = demo_seed_surveys()
    if len(surveys) != 2:
        return
    needs, evaluation = surveys
    rng = random.Random(SEED + 15)
    for workshop in (regional, national):
        workshop.needs_survey, workshop.evaluation_survey = needs, evaluation
        workshop.save(update_fields=["needs_survey", "evaluation_survey"])
        people = [
            p.user
            for p in workshop.participants.select_related("user").order_by("user__username")
            if investigator is None or p.user_id != investigator.pk
        ]
        for user in people:
            language = user.preferred_language or "en"
            for survey, share, weights in (
                (needs, 0.9, None),
                (evaluation, 0.85, EVALUATION_WEIGHTS[workshop.slug]),
            ):
                if rng.random() >= share:
                    continue
                response_submit(
                    survey=survey,
                    user=user,
                    answers=demo_answers(survey, rng, language, scale_weights=weights),
                    language=language,
                )


@transaction.atomic
def demo_seed_workshops() -> None:
    if Workshop.objects.filter(slug__in=[REGIONAL["slug"], NATIONAL["slug"]]).exists():
        return
    rng = random.Random(SEED)
    User = get_user_model()
    trainer = User.objects.filter(username="trainer").first()
    investigator = User.objects.filter(username="investigator").first()
    today = timezone.localdate()
    tests_course = _tests_course()
    niger = Organisation.objects.filter(
        name_en="Cybercrime Investigation Service", country="NE"
    ).first()

    # 1. Regional, online: 40 participants, four from each of ten countries.
    regional = _workshop(REGIONAL, today=today, host=niger, trainer=trainer)
    regional.pre_test = _test_quiz(tests_course, REGIONAL, "pre")
    regional.post_test = _test_quiz(tests_course, REGIONAL, "post")
    regional.save()
    countries = [country for country in COUNTRIES for _ in range(4)]
    people = _people(rng, countries[:-1], ["police", "prosecution", "court"], "rw")
    services.participants_add(workshop=regional, users=people, added_by=trainer)
    # Two took no pre-test, three no post-test: unpaired, counted apart in the report.
    names = [u.username for u in people]
    _results(regional, people, rng=rng, skip_pre=names[3:4] + names[17:18],
             skip_post=names[8:9] + names[25:26] + names[33:34])  # fmt: skip
    if investigator is not None:
        services.participants_add(workshop=regional, users=[investigator], added_by=trainer)
        participant = Participant.objects.get(workshop=regional, user=investigator)
        Attendance.objects.bulk_create(
            [
                Attendance(session=session, participant=participant, attended=True)
                for session in regional.sessions.all()
            ]
        )
        _investigator_pre_test(regional, investigator)

    # 2. National, in person in Niamey: 30 judges, prosecutors and officers of Niger.
    national = _workshop(NATIONAL, today=today, host=niger, trainer=trainer)
    national.pre_test = _test_quiz(tests_course, NATIONAL, "pre")
    national.post_test = _test_quiz(tests_course, NATIONAL, "post")
    national.save()
    people = _people(rng, ["NE"] * 30, ["court", "prosecution", "police"], "nw")
    services.participants_add(workshop=national, users=people, added_by=trainer)
    names = [u.username for u in people]
    _results(national, people, rng=rng, skip_pre=names[11:12], skip_post=names[20:22])

    for workshop in (regional, national):
        services.completion_refresh(workshop=workshop)
    _surveys(regional, national, investigator)
