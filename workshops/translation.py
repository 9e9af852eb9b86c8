from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from .models import Workshop, WorkshopSession


@register(Workshop)
class WorkshopTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = ("en",)


@register(WorkshopSession)
class WorkshopSessionTranslation(TranslationOptions):
    fields = ("topic",)
    required_languages = ("en",)
