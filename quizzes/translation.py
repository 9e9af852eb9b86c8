from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from .models import Choice, MatchingPair, OrderingItem, Question, QuestionCategory, QuizPage


@register(QuizPage)
class QuizPageTranslation(TranslationOptions):
    fields = ("intro",)


@register(QuestionCategory)
class QuestionCategoryTranslation(TranslationOptions):
    fields = ("name",)


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("text", "feedback", "image_alt")


@register(Choice)
class ChoiceTranslation(TranslationOptions):
    fields = ("text", "feedback")


@register(MatchingPair)
class MatchingPairTranslation(TranslationOptions):
    fields = ("prompt", "answer")


@register(OrderingItem)
class OrderingItemTranslation(TranslationOptions):
    fields = ("text",)
