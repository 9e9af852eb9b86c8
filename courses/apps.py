import json
from pathlib import Path

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cms.navigation import register_link

DEMO_DIR = Path(__file__).resolve().parent / "demo"
CATALOGUE_SLUGS = {"en": "courses", "fr": "cours", "ar": "الدورات"}
CATALOGUE_TITLES = {"en": "Courses", "fr": "Cours", "ar": "الدورات التدريبية"}
TRAINER_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
TRAINER_MEDIA_PERMISSIONS = [
    ("wagtailimages", ["add_image", "change_image", "choose_image"]),
    ("wagtaildocs", ["add_document", "change_document", "choose_document"]),
]


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        # Deferred: these import models, which are not loaded while apps are configured.
        from cms.home_sections import home_section_register
        from cms.page_cache import register_slot

        from .home import learning_section
        from .packages import ModuleHandler, register_activity_type

        register_activity_type(ModuleHandler())
        from .selectors import catalogue_url

        # The catalogue page itself: `courses:catalogue` would answer with a redirect.
        register_link(
            label=_("Courses"), url_name="courses:catalogue", order=100, resolve=catalogue_url
        )
        register_link(label=_("My learning"), url_name="courses:my_learning", order=200)
        # What a lesson shows about the learner (courses.lesson_shell.lesson_slot_values).
        register_slot("lesson-completion", template="courses/components/completion.html")
        register_slot("lesson-progress", template="courses/components/progress_bar.html")
        # What a course page shows about the learner (courses.course_shell.outline_slot_values).
        register_slot("course-status", template="courses/components/course_status.html")
        register_slot("course-activities", template="courses/components/course_activities.html")
        # The list of My learning (courses.learning_shell).
        register_slot("my-learning", template="courses/components/my_learning_list.html")
        # The signed-in home page: where the learner left off, what is assigned to them.
        home_section_register(learning_section, order=100)

    def setup_site(self):
        """The catalogue page under the home page; trainers may edit everything below it."""
        from django.contrib.auth.models import Group, Permission
        from django.utils import translation
        from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

        from cms.models import HomePage
        from cms.roles import GROUP_NAMES, Role

        from .models import CourseIndexPage

        catalogue = CourseIndexPage.objects.first()
        if catalogue is None:
            with translation.override("en"):
                home = HomePage.objects.get()
                catalogue = CourseIndexPage(
                    title=CATALOGUE_TITLES["en"], slug=CATALOGUE_SLUGS["en"]
                )
                for code in CATALOGUE_SLUGS:
                    setattr(catalogue, f"title_{code}", CATALOGUE_TITLES[code])
                    setattr(catalogue, f"slug_{code}", CATALOGUE_SLUGS[code])
                home.add_child(instance=catalogue)
                catalogue.save_revision().publish()
        trainers = Group.objects.get(name=GROUP_NAMES[Role.TRAINER])
        for codename in TRAINER_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=trainers,
                page=catalogue,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
        root_collection = Collection.get_first_root_node() or Collection.add_root(name="Root")
        for app_label, codenames in TRAINER_MEDIA_PERMISSIONS:
            for codename in codenames:
                GroupCollectionPermission.objects.get_or_create(
                    group=trainers,
                    collection=root_collection,
                    permission=Permission.objects.get(
                        content_type__app_label=app_label, codename=codename
                    ),
                )

    def seed_demo(self):
        """Import the three demo courses (courses/demo/*.json) unless already there."""
        from .models import CoursePage
        from .services import course_import

        for path in sorted(DEMO_DIR.glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            if not CoursePage.objects.filter(slug_en=data["slug"]).exists():
                course_import(data=data)
