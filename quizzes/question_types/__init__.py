"""Question types: one class per type, one registry (docs/quizzes.md, "The registry").

Each type says, in one place, how a question of its kind is
- authored: its package form (validation, import, export) and the admin editor's check;
- scored: its key, whose pure rule lives in `scoring.py`;
- offered in an attempt: its part of the attempt's frozen layout, where every field name and
  option value is a random token of that attempt (nothing in the form says which answer is
  right), its form fields, and how a cleaned form reads back as an answer;
- reviewed after submission.

Nothing else in quizzes/ branches on a question's type: it asks `QUESTION_TYPES[name]`.
"""

from .base import QUESTION_TYPES, QuestionType, ReviewLine, Tokens, bool_problems, register

# Each module registers its types when imported, in the order they are offered.
# isort: off
from . import choice  # noqa: F401
from . import true_false  # noqa: F401
from . import prompts  # noqa: F401

# isort: on

__all__ = ["QUESTION_TYPES", "QuestionType", "ReviewLine", "Tokens", "bool_problems", "register"]
