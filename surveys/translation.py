from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from .models import SurveyPage, SurveyQuestion


@register(SurveyPage)
class SurveyPageTranslation(TranslationOptions):
    fields = ("intro",)


@register(SurveyQuestion)
class SurveyQuestionTranslation(TranslationOptions):
    fields = ("text", "options", "scale_labels")
