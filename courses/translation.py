from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from .models import CourseIndexPage, CoursePage, ModulePage


@register(CourseIndexPage)
class CourseIndexPageTranslation(TranslationOptions):
    fields = ("intro",)


@register(CoursePage)
class CoursePageTranslation(TranslationOptions):
    fields = ("summary", "objectives", "audience")


@register(ModulePage)
class ModulePageTranslation(TranslationOptions):
    fields = ("body",)
