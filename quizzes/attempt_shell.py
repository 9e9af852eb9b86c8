"""The attempt page's chrome from a shared shell (`cms.page_cache`); its form built per request.

Around the form, the page (base.html: the head, the header with its `account` slot, the
footer; the quiz's title and address) is the same for everybody reading this address in this
language: a shell rendered for nobody, as lesson pages are, kept under the content generation.
What belongs to the attempt (its number, its deadline, the "saved" message, the question list,
the questions with the attempt's tokens and saved answers, the CSRF token) is rendered for each
request (`quizzes/components/attempt_form.html`, the questions by `attempt_form`) and put where
the shell's markers are: it is never kept. Requests the shared caches may not serve (a query
string such as `?page=2`, messages waiting) get the same template rendered in full.
"""

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe

from cms import page_cache

from .models import QuizAttempt
from .selectors import AttemptPage, AttemptQuiz

# Where the attempt's own parts go in a shell. NUL never occurs in rendered HTML.
_NUMBER = "\x00attempt-number\x00"
_BODY = "\x00attempt-body\x00"


def _body(request, *, attempt: QuizAttempt, shown: AttemptPage, saved: bool) -> str:
    """The attempt's part of the page: rendered from its values, with this request's token."""
    return render_to_string(
        "quizzes/components/attempt_form.html",
        {"attempt": attempt, "shown": shown, "saved": saved, "csrf_token": get_token(request)},
    )


def attempt_response(
    request, *, attempt: QuizAttempt, quiz: AttemptQuiz, shown: AttemptPage, saved: bool
) -> HttpResponse:
    """The attempt page for `request`: the shell with the attempt's parts put in, or the page
    rendered in full when the shared caches may not serve this request."""
    body = _body(request, attempt=attempt, shown=shown, saved=saved)
    if not page_cache.may_use(request):
        return render(
            request,
            "quizzes/attempt.html",
            {"quiz": quiz, "number": attempt.number, "body": mark_safe(body)},  # noqa: S308
        )

    def chrome(shell_request) -> TemplateResponse:
        return TemplateResponse(
            shell_request, "quizzes/attempt.html", {"quiz": quiz, "number": _NUMBER, "body": _BODY}
        )

    key = page_cache.shell_key(request, "attempt", quiz.pk)
    response = page_cache.serve_shell(request, key, render=chrome, values={})
    if isinstance(response, TemplateResponse) and not response.is_rendered:
        response.render()  # the shell could not be kept: the chrome rendered for this request
    html = response.content.decode(response.charset)
    response.content = html.replace(_NUMBER, str(attempt.number)).replace(_BODY, body)
    return response
