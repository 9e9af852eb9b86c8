"""Item statistics for trainers, in the Wagtail admin."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from .models import QuizPage
from .selectors import quiz_item_statistics


def quiz_statistics(request, page_id: int):
    quiz = get_object_or_404(QuizPage, pk=page_id)
    if not quiz.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    statistics = quiz_item_statistics(quiz=quiz)
    return TemplateResponse(
        request,
        "quizzes/admin/statistics.html",
        {
            "quiz": quiz,
            "statistics": statistics,
            "page_title": _("Item statistics"),
            "header_title": _("Item statistics: %(title)s") % {"title": quiz.title},
        },
    )
