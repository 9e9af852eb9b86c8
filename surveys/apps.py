from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Surveys")

    def ready(self):
        from courses.packages import register_activity_type
        from reports.navigation import register_report

        from .packages import SurveyHandler

        register_activity_type(SurveyHandler())
        register_report(
            label=_("Surveys"), url_name="surveys:index", order=95, current_for=("surveys:results",)
        )
        self._register_jobs()

    @staticmethod
    def _register_jobs():
        """Once a day, forget which anonymous response was whose in surveys that closed
        (each page and report also does it for its own survey)."""
        try:
            from tasks.registry import JobKind, Periodic, job_kind_register, periodic_register
        except ImportError:  # the tasks app is optional
            return
        from .services import survey_keys_forget

        job_kind_register(
            JobKind(
                name="surveys.keys_forget",
                run=lambda **_arguments: survey_keys_forget(),
                describe=lambda arguments: _("Forget who wrote the anonymous survey responses"),
            )
        )
        periodic_register(
            Periodic(name="surveys-keys-forget", every_seconds=86400, kind="surveys.keys_forget")
        )

    def seed_demo(self):
        from .demo import demo_seed_surveys

        demo_seed_surveys()
