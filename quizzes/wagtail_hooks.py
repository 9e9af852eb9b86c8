from urllib.parse import urlencode

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.widgets import Button
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from cms.viewsets import TranslatedSnippetViewSet

from .admin_views import QuestionImportView, can_import, questions_export_view, quiz_statistics
from .forms import QuestionAdminForm
from .models import Question, QuestionCategory, QuizPage


class QuestionCategoryViewSet(TranslatedSnippetViewSet):
    model = QuestionCategory
    icon = "folder-open-inverse"
    list_display = ["name", "parent"]
    list_filter = ["parent"]
    search_fields = ["name_en", "name_fr", "name_ar"]


class QuestionViewSet(TranslatedSnippetViewSet):
    model = Question
    icon = "help"
    list_display = ["__str__", "type", "grading", "marks", "category"]
    list_filter = ["category", "type"]
    search_fields = ["text_en", "text_fr", "text_ar"]

    def get_edit_handler(self):
        # The model's panels, as wagtail-modeltranslation expands them per language, with the
        # form that refuses a question nobody could answer.
        return ObjectList(self.model.panels, base_form_class=QuestionAdminForm).bind_to_model(
            self.model
        )


class QuestionBankViewSetGroup(SnippetViewSetGroup):
    items = (QuestionViewSet, QuestionCategoryViewSet)
    menu_icon = "help"
    menu_label = _("Question bank")
    menu_name = "question-bank"
    menu_order = 250
    submenu_hook = "register_question_bank_menu_item"


@hooks.register("register_admin_viewset")
def register_question_bank():
    return QuestionBankViewSetGroup()


@hooks.register("register_admin_urls")
def register_statistics_url():
    return [
        path("quizzes/<int:page_id>/statistics/", quiz_statistics, name="quizzes_statistics"),
        path("quizzes/questions/import/", QuestionImportView.as_view(), name="quizzes_import"),
        path("quizzes/questions/export/", questions_export_view, name="quizzes_export"),
    ]


class _ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_import(request.user)


@hooks.register("register_question_bank_menu_item")
def register_import_menu_item():
    return _ImportMenuItem(_("Import"), reverse("quizzes_import"), icon_name="upload", order=900)


def _export_buttons(query: dict, priority: int):
    for file_format, label in (
        ("moodle_xml", _("Export to Moodle XML")),
        ("gift", _("Export to GIFT")),
    ):
        url = reverse("quizzes_export") + "?" + urlencode({**query, "format": file_format})
        yield Button(label, url, icon_name="download", priority=priority)


@hooks.register("register_snippet_listing_buttons")
def category_export_buttons(snippet, user, next_url=None):
    if isinstance(snippet, QuestionCategory) and user.has_perm("quizzes.view_question"):
        yield from _export_buttons({"category": snippet.pk}, 50)


def _statistics_button(page, user, priority):
    specific_class = page.specific_class
    if specific_class is None or not issubclass(specific_class, QuizPage):
        return
    if not page.permissions_for_user(user).can_edit():
        return
    yield Button(
        _("Item statistics"),
        reverse("quizzes_statistics", args=[page.pk]),
        icon_name="table",
        priority=priority,
    )
    if user.has_perm("quizzes.view_question"):
        yield from _export_buttons({"quiz": page.pk}, priority + 1)


@hooks.register("register_page_listing_more_buttons")
def statistics_listing_button(page, user, next_url=None):
    yield from _statistics_button(page, user, 45)


@hooks.register("register_page_header_buttons")
def statistics_header_button(page, user, view_name, next_url=None):
    yield from _statistics_button(page, user, 45)
