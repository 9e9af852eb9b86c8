"""Trainers' screens in the Wagtail admin: item statistics, and the question bank's import
from and export to Moodle (docs/question-import.md)."""

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from .interchange.common import MAX_BYTES
from .interchange.selectors import category_questions, questions_file, quiz_questions
from .interchange.services import InterchangeError, questions_import
from .models import QuestionCategory, QuizPage
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


# --- question bank: import from and export to Moodle ------------------------------------------


class QuestionImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Question file"),
        help_text=gettext_lazy(
            "Moodle XML (.xml), or GIFT (.txt, .gift) in UTF-8 or Windows-1252. Short-answer, "
            "numerical, essay, cloze, calculated and drag-and-drop questions are skipped and "
            "listed."
        ),
    )
    category = forms.CharField(
        label=gettext_lazy("Category"),
        required=False,
        max_length=500,
        help_text=gettext_lazy(
            "Where the questions go, as Category/Subcategory; the file's own categories are "
            "placed inside it. Empty: the file's categories, or one named after the file."
        ),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of text without language markers"),
        choices=settings.LANGUAGES,
        initial="en",
        help_text=gettext_lazy(
            "Text written with Moodle's multi-language filter is split into English, French "
            "and Arabic; any other text goes into this language."
        ),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Check only (write nothing)"),
        required=False,
        help_text=gettext_lazy("Shows what would be imported, skipped and changed."),
    )


def can_import(user) -> bool:
    return user.has_perms(["quizzes.add_question", "quizzes.add_questioncategory"])


class QuestionImportView(WagtailAdminTemplateMixin, FormView):
    """Trainers bring a Moodle XML or GIFT bank; a file with a syntax error is refused whole,
    and the report lists every question skipped or changed."""

    page_title = gettext_lazy("Import questions")
    header_icon = "upload"
    template_name = "quizzes/admin/question_import.html"
    form_class = QuestionImportForm

    def dispatch(self, request, *args, **kwargs):
        if not can_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        context = {"form": form}
        if upload.size > MAX_BYTES:
            context["refusal"] = gettext_lazy("The file is larger than the %(limit)s MB limit.") % {
                "limit": MAX_BYTES // (1024 * 1024)
            }
            return self.render_to_response(self.get_context_data(**context))
        try:
            context["report"] = questions_import(
                data=upload.read(),
                filename=upload.name,
                category=form.cleaned_data["category"],
                language=form.cleaned_data["language"],
                dry_run=form.cleaned_data["dry_run"],
            )
        except InterchangeError as error:
            context["refusal"] = error.message
        return self.render_to_response(self.get_context_data(**context))


EXPORT_FORMATS = {"moodle_xml": ("application/xml", "xml"), "gift": ("text/plain", "txt")}


def questions_export_view(request):
    """A category (with the categories inside it) or a quiz's questions as a Moodle XML or
    GIFT download: `?category=<id>` or `?quiz=<id>`, `&format=moodle_xml|gift`."""
    if not request.user.has_perm("quizzes.view_question"):
        raise PermissionDenied
    file_format = request.GET.get("format", "moodle_xml")
    if file_format not in EXPORT_FORMATS:
        file_format = "moodle_xml"
    if "quiz" in request.GET:
        quiz = get_object_or_404(QuizPage, pk=_number(request.GET["quiz"]))
        if not quiz.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        questions, name = quiz_questions(quiz), quiz.slug
    else:
        category = get_object_or_404(QuestionCategory, pk=_number(request.GET.get("category")))
        questions, name = category_questions(category), slugify(category.name) or "questions"
    data, _notes = questions_file(questions, file_format=file_format)
    content_type, extension = EXPORT_FORMATS[file_format]
    response = HttpResponse(data, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response


def _number(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None
