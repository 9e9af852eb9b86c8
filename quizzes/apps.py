from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Quizzes")

    def ready(self):
        from courses.packages import register_activity_type

        from .packages import QuizHandler

        register_activity_type(QuizHandler())
