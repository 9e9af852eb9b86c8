"""The attempt page's chrome from a shared shell (`cms.page_cache`); its form built per request.

Around the form, the page (base.html: the head, the header with its `account` slot, the
footer; the quiz's title and address) is the same for everybody reading this address in this
language: a shell rendered for nobody, as lesson pages are, kept under the content generation.
What belongs to the attempt (its number, its deadline, the "saved" message, the question list,
the questions with the attempt's tokens and saved answers, the CSRF token) is built for each
request as strings (`attempt_form.render_body` and `render_questions`, no template) and put
where the shell's markers are: it is never kept. Requests the shared caches may not serve (a
query string such as `?page=2`, messages waiting) get the same page rendered in full.
"""

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe

from cms import page_cache

from .attempt_form import render_body
from .models import QuizAttempt
from .selectors import AttemptPage, AttemptQuiz

# Where the attempt's own parts go in a shell. NUL never occurs in rendered HTML.
_NUMBER = "\x00attempt-number\x00"
_BODY = "\x00attempt-body\x00"


def _body(*, attempt: QuizAttempt, shown: AttemptPage, saved: bool, csrf_token: str) -> str:
    """The attempt's part of the page, built from its values."""
    return render_body(
        shown, number=attempt.number, deadline=attempt.deadline, saved=saved, csrf_token=csrf_token
    )


def _full_page(request, *, attempt: QuizAttempt, quiz: AttemptQuiz, shown, saved: bool):
    body = _body(attempt=attempt, shown=shown, saved=saved, csrf_token=get_token(request))
    return render(
        request,
        "quizzes/attempt.html",
        {"quiz": quiz, "number": attempt.number, "body": mark_safe(body)},  # noqa: S308 - built escaped
    )


def attempt_response(
    request, *, attempt: QuizAttempt, quiz: AttemptQuiz, shown: AttemptPage, saved: bool
) -> HttpResponse:
    """The attempt page for `request`: the shell with the attempt's parts put in, or the page
    rendered in full when the shared caches may not serve this request (or the shell could
    not be kept). In the shell the form's CSRF token is the shell's marker: one token for the
    page, put in by `page_cache.respond`."""
    if not page_cache.may_use(request):
        return _full_page(request, attempt=attempt, quiz=quiz, shown=shown, saved=saved)

    def chrome(shell_request) -> TemplateResponse:
        return TemplateResponse(
            shell_request, "quizzes/attempt.html", {"quiz": quiz, "number": _NUMBER, "body": _BODY}
        )

    key = page_cache.shell_key(request, "attempt", quiz.pk)
    shell = page_cache.shells.get(key)
    if shell is None:
        shell = page_cache.render_shell(chrome, request)
        if shell is None:
            return _full_page(request, attempt=attempt, quiz=quiz, shown=shown, saved=saved)
        page_cache.shells.set(key, shell)
    body = _body(attempt=attempt, shown=shown, saved=saved, csrf_token=page_cache.CSRF_MARK)
    number = str(attempt.number)
    # Slot names sit at odd places; the attempt's markers are in the text between them.
    filled = tuple(
        part if index % 2 else part.replace(_NUMBER, number).replace(_BODY, body)
        for index, part in enumerate(shell.parts)
    )
    return page_cache.respond(request, page_cache.Shell(filled))
