"""Taking a quiz: start, answer (autosaved on every POST), submit, see the result.

Views are thin: they read the POST, call a service, and render a selector's result.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import selectors, services
from .models import QuizAttempt, QuizPage


def _bad_request(request, reasons, attempt=None):
    return render(
        request,
        "quizzes/bad_request.html",
        {"reasons": reasons, "attempt": attempt},
        status=400,
    )


def _own_attempt(request, pk: int) -> QuizAttempt:
    """The signed-in learner's attempt; anyone else's is a 404, not a 403."""
    return get_object_or_404(QuizAttempt.objects.select_related("quiz"), pk=pk, user=request.user)


def _live_quiz(quiz_id: int) -> QuizPage:
    quiz = QuizPage.objects.live().filter(pk=quiz_id).first()
    if quiz is None:
        raise Http404
    return quiz


@login_required
@require_POST
def attempt_start(request, quiz_id: int):
    quiz = _live_quiz(quiz_id)
    try:
        attempt = services.attempt_start(
            user=request.user, quiz=quiz, language=request.LANGUAGE_CODE
        )
    except services.QuizError as error:
        messages.error(request, error.message)
        return redirect(quiz.get_url(request) or "/")
    return redirect("quizzes:attempt", pk=attempt.pk)


@login_required
@require_http_methods(["GET", "POST"])
def attempt_take(request, pk: int):
    attempt = _own_attempt(request, pk)
    if attempt.state == QuizAttempt.State.IN_PROGRESS and services.attempt_is_overdue(attempt):
        services.attempt_submit(attempt=attempt)
        return redirect("quizzes:result", pk=attempt.pk)
    if attempt.is_submitted:
        return redirect("quizzes:result", pk=attempt.pk)
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("save", "submit"):
            return _bad_request(
                request, [_("The form did not say whether to save or to submit.")], attempt
            )
        form = selectors.attempt_form(attempt=attempt, data=request.POST)
        if not form.is_valid():
            return _bad_request(request, form.problems(), attempt)
        services.attempt_save_answers(attempt=attempt, answers=form.answers())
        if action == "submit":
            services.attempt_submit(attempt=attempt)
            return redirect("quizzes:result", pk=attempt.pk)
        attempt.refresh_from_db()
        if attempt.is_submitted:  # the time ran out
            return redirect("quizzes:result", pk=attempt.pk)
        if request.headers.get("X-Tadrib-Autosave") == "1":
            # quizzes/static/quizzes/autosave.js saves as the learner answers.
            return HttpResponse(status=204)
        request.session["quiz_saved"] = attempt.pk
        return redirect("quizzes:attempt", pk=attempt.pk)
    saved = request.session.pop("quiz_saved", None) == attempt.pk
    return render(
        request,
        "quizzes/attempt.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "form": selectors.attempt_form(attempt=attempt),
            "saved": saved,
        },
    )


@login_required
def attempt_result(request, pk: int):
    attempt = _own_attempt(request, pk)
    if not attempt.is_submitted:
        if not services.attempt_is_overdue(attempt):
            return redirect("quizzes:attempt", pk=attempt.pk)
        attempt = services.attempt_submit(attempt=attempt)
    result = selectors.attempt_result(attempt=attempt, quiz=attempt.quiz)
    return render(
        request,
        "quizzes/result.html",
        {"result": result, "attempt": attempt, "quiz": attempt.quiz, "overview": result.overview},
    )
