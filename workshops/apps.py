from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cms.navigation import register_link

# Trainers edit the workshops they facilitate (given by migration 0002 too).
TRAINER_PERMISSIONS = [f"{action}_workshop" for action in ("add", "change", "delete", "view")]


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = _("Workshops")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from courses.signals import course_completed
        from quizzes.gates import register_attempt_gate
        from quizzes.signals import attempt_submitted
        from reports.navigation import register_report

        from . import receivers, user_csv
        from .gates import workshop_test_gate, workshop_test_probe

        register_attempt_gate("workshops", workshop_test_gate, probe=workshop_test_probe)
        self._connect_surveys()
        user_csv.register()
        attempt_submitted.connect(receivers.on_attempt_submitted, dispatch_uid="workshops-post")
        course_completed.connect(receivers.on_course_completed, dispatch_uid="workshops-course")
        register_report(
            label=_("Workshops"),
            url_name="workshop_reports:list",
            order=90,
            current_for=("workshop_reports:detail",),
        )
        register_link(
            label=_("Workshops"),
            # Every signed-in reader: the page says when they take part in none. Asking whether
            # they do would cost a query on every page, lesson shells included.
            url_name="workshops:list",
            order=250,
        )

    @staticmethod
    def _connect_surveys():
        """A workshop's needs assessment and evaluation (survey_links.py)."""
        from surveys.dimensions import register_dimension
        from surveys.gates import register_response_gate
        from surveys.signals import response_saved

        from . import survey_links

        register_response_gate("workshops", survey_links.workshop_evaluation_gate)
        register_dimension(survey_links.survey_dimension())
        response_saved.connect(
            survey_links.on_survey_response_saved, dispatch_uid="workshops-survey-response"
        )

    def setup_site(self):
        """Trainers edit workshops; a flushed database gets that right back."""
        from django.contrib.auth.models import Group, Permission

        from cms.roles import GROUP_NAMES, Role

        trainers = Group.objects.get(name=GROUP_NAMES[Role.TRAINER])
        trainers.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="workshops", codename__in=TRAINER_PERMISSIONS
            )
        )

    def seed_demo(self):
        """The two demo workshops (workshops/demo.py), unless already there."""
        from .demo import demo_seed_workshops

        demo_seed_workshops()
