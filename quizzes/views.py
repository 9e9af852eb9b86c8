"""Taking a quiz: start, answer (autosaved on every POST), submit, see the result.

Views are thin: they read the POST, call a service, and render a selector's result.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cms import page_cache
from courses.selectors import activity_navigation

from . import selectors, services
from .attempt_post import attempt_posted
from .attempt_shell import attempt_response
from .models import QuizAttempt, QuizPage


def _bad_request(request, reasons, attempt=None):
    return render(
        request,
        "quizzes/bad_request.html",
        {"reasons": reasons, "attempt": attempt},
        status=400,
    )


def _own_attempt(request, pk: int) -> QuizAttempt:
    """The signed-in learner's attempt with its quiz; anyone else's is a 404, not a 403."""
    attempt = selectors.own_attempt_with_quiz(pk=pk, user_id=request.user.pk)
    if attempt is None:
        raise Http404
    attempt.user = request.user  # the learner, not read again (audit, signals)
    return attempt


def _attempt_to_show(request, pk: int):
    """The signed-in learner's attempt, without its quiz, with its answers and its questions'
    last changes (`selectors.own_attempt_with_answers`); anyone else's is a 404. The content
    generation is the one the session's statement read (`page_cache.generation`)."""
    found = selectors.own_attempt_with_answers(pk=pk, user_id=request.user.pk)
    if found is None:
        raise Http404
    attempt, *saved = found
    attempt.user = request.user  # the learner, not read again (audit, signals)
    return attempt, tuple(saved)


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


def _attempt_url(attempt: QuizAttempt, page: int | None = None) -> str:
    url = reverse("quizzes:attempt", args=[attempt.pk])
    return f"{url}?page={page}" if page and page > 1 else url


def _finished(attempt: QuizAttempt):
    """The result page, when the attempt is submitted or its time is up (then submitted)."""
    if attempt.state == QuizAttempt.State.IN_PROGRESS and services.attempt_is_overdue(attempt):
        services.attempt_submit(attempt=attempt)
    if attempt.is_submitted:
        return redirect("quizzes:result", pk=attempt.pk)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def attempt_take(request, pk: int):
    """The attempt form. Every POST saves the answers on it; "submit" then goes on to the
    result, or first to the confirmation page when questions are left unanswered; `goto`
    (one question per page, and the question list) saves and moves to another question."""
    read = None
    if request.method == "POST":
        attempt = _own_attempt(request, pk)
    else:
        # Showing the form needs only a little of the quiz, kept per worker (attempt_quiz);
        # the answers are read with the attempt, the content generation with the session.
        attempt, read = _attempt_to_show(request, pk)
    if done := _finished(attempt):
        return done
    page = request.GET.get("page")
    if request.method == "POST":
        quiz = attempt.quiz
        action = request.POST.get("action") or ("save" if "goto" in request.POST else None)
        if action not in ("save", "submit"):
            return _bad_request(
                request, [_("The form did not say whether to save or to submit.")], attempt
            )
        # Checked as the attempt form checks it, without building the form (attempt_post).
        posted = attempt_posted(attempt=attempt, quiz=quiz, page=page, data=request.POST)
        if posted.problems:
            return _bad_request(request, posted.problems, attempt)
        answers = posted.answers
        if action == "submit" and posted.all_answered():
            # Saved and submitted in one transaction, scored with the questions just read.
            services.attempt_submit(attempt=attempt, answers=answers, questions=posted.questions)
            return redirect("quizzes:result", pk=attempt.pk)
        if not services.attempt_save_answers(
            attempt=attempt, answers=answers, questions=answers.keys()
        ):
            attempt.refresh_from_db()
        if attempt.is_submitted:  # the time ran out
            return redirect("quizzes:result", pk=attempt.pk)
        if action == "submit":  # some questions are left unanswered: confirm first
            return redirect("quizzes:submit", pk=attempt.pk)
        if request.headers.get("X-Tadrib-Autosave") == "1":
            # quizzes/static/quizzes/autosave.js saves as the learner answers.
            return HttpResponse(status=204)
        if "goto" in request.POST:
            return redirect(_attempt_url(attempt, selectors.page_number(request.POST["goto"])))
        request.session["quiz_saved"] = attempt.pk
        return redirect(_attempt_url(attempt, posted.page))
    saved = request.session.pop("quiz_saved", None) == attempt.pk
    generation = page_cache.generation(request)
    quiz = selectors.attempt_quiz(quiz_id=attempt.quiz_id, generation=generation)
    shown = selectors.attempt_shown(
        attempt=attempt, quiz=quiz, page=page, generation=generation, answers_read=read
    )
    return attempt_response(request, attempt=attempt, quiz=quiz, shown=shown, saved=saved)


@login_required
@require_http_methods(["GET", "POST"])
def attempt_submit(request, pk: int):
    """Submitting with questions left unanswered: they are listed, with a way back to each,
    and the learner confirms (a plain form: no JavaScript needed)."""
    attempt = _own_attempt(request, pk)
    if done := _finished(attempt):
        return done
    if request.method == "POST":
        services.attempt_submit(attempt=attempt)
        return redirect("quizzes:result", pk=attempt.pk)
    return render(
        request,
        "quizzes/confirm_submit.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "unanswered": selectors.attempt_unanswered(attempt=attempt, quiz=attempt.quiz),
            "total": len(attempt.layout),
        },
    )


@login_required
def attempt_result(request, pk: int):
    attempt = _own_attempt(request, pk)
    if not attempt.is_submitted:
        if not services.attempt_is_overdue(attempt):
            return redirect("quizzes:attempt", pk=attempt.pk)
        attempt = services.attempt_submit(attempt=attempt)
    quiz = attempt.quiz
    result = selectors.attempt_result(attempt=attempt, quiz=quiz)
    return render(
        request,
        "quizzes/result.html",
        {
            "result": result,
            "attempt": attempt,
            "quiz": quiz,
            "overview": result.overview,
            "navigation": activity_navigation(activity=quiz, user=request.user, request=request),
        },
    )
