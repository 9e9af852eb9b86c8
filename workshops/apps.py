from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cms.navigation import register_link


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = _("Workshops")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from courses.signals import course_completed
        from quizzes.gates import register_attempt_gate
        from quizzes.signals import attempt_submitted

        from . import receivers
        from .gates import workshop_test_gate
        from .selectors import has_workshops

        register_attempt_gate("workshops", workshop_test_gate)
        attempt_submitted.connect(receivers.on_attempt_submitted, dispatch_uid="workshops-post")
        course_completed.connect(receivers.on_course_completed, dispatch_uid="workshops-course")
        register_link(
            label=_("Workshops"),
            url_name="workshops:list",
            visible=has_workshops,
            order=250,
        )
