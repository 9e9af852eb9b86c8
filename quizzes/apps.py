from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Trainers edit the question bank (given by migration 0002 too, and restored by setup_site).
TRAINER_PERMISSIONS = [
    f"{action}_{model}"
    for model in ("questioncategory", "question")
    for action in ("add", "change", "delete", "view")
]


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Quizzes")

    def ready(self):
        from courses.packages import register_activity_type

        from .packages import QuizHandler

        register_activity_type(QuizHandler())
        from cms.page_cache import register_slot

        # What a quiz page shows about the learner (quizzes.quiz_shell.attempts_slot_values).
        register_slot("quiz-attempts", template="quizzes/components/quiz_attempts.html")

    def setup_site(self):
        """Trainers edit the question bank; a flushed database gets that right back."""
        from django.contrib.auth.models import Group, Permission

        from cms.roles import GROUP_NAMES, Role

        trainers = Group.objects.get(name=GROUP_NAMES[Role.TRAINER])
        trainers.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="quizzes", codename__in=TRAINER_PERMISSIONS
            )
        )
