from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from .models import HomePage, Organisation


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("en",)


@register(HomePage)
class HomePageTranslation(TranslationOptions):
    fields = ("intro", "body")
