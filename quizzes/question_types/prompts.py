"""Matching and ordering: prompts, each answered by choosing one of the options offered.

Matching may offer extra wrong answers (distractors: pairs without a prompt), and one answer
may serve several prompts; ordering may be graded by any of Moodle's grading types.
"""

from collections.abc import Mapping
from html import escape
from typing import Any, ClassVar

from django.utils.translation import gettext_lazy as _

from courses.packages import LANGUAGE_CODES, set_translated, translated_values

from ..models import MatchingPair, OrderingItem
from ..scoring import MatchingKey, OrderingGrading, OrderingKey, Problem
from .base import (
    PromptToken,
    QuestionType,
    ReviewLine,
    derange,
    kept_rows,
    objects,
    plain_problems,
    prompt_selects,
    prompt_token,
    register,
    token_of,
    tokenised,
    value_of,
)

TEXT_MAX = 500


def _row_prompt(row: dict) -> bool:
    """Whether an editor's pair row has a prompt in some language."""
    return any(str(row.get(f"prompt_{code}") or "").strip() for code in LANGUAGE_CODES)


class PromptType(QuestionType):
    """Prompts, each answered by choosing one of the options the attempt offers."""

    placeholder: ClassVar[Any]

    def _labels(self, question) -> tuple[dict[int, str], dict[Any, str]]:
        """Prompt texts by id, option labels by value."""
        raise NotImplementedError

    def _answerable(self, question) -> tuple[set[int], set[Any]]:
        """The ids of the prompts the question still has and the values of its options: what
        `_labels` has labels for."""
        raise NotImplementedError

    def fields(self, entry, question):
        prompts, options = self._labels(question)
        choices = [("", self.placeholder)] + [
            (token, options[value]) for token, value in entry["options"] if value in options
        ]
        return {
            token: PromptToken(required=False, label=prompts[pk], choices=choices)
            for token, pk in entry["prompts"]
            if pk in prompts
        }

    def labels(self, question):
        prompts, options = self._labels(question)
        return {
            "prompts": {pk: escape(text) for pk, text in prompts.items()},
            "options": {value: escape(text) for value, text in options.items()},
            "placeholder": escape(str(self.placeholder)),
        }

    def render(self, entry, labels, answer):
        prompts, texts = labels["prompts"], labels["options"]
        given = answer if isinstance(answer, Mapping) else {}
        options = [("", labels["placeholder"])]
        firsts: dict[Any, str] = {}  # each option value's first token, as token_of finds it
        for token, value in entry["options"]:
            firsts.setdefault(value, token)
            if value in texts:
                options.append((token, texts[value]))

        def chosen(pk) -> str:
            value = given.get(pk)
            try:
                return firsts.get(value) or ""
            except TypeError:  # unhashable: no option's value
                return ""

        return prompt_selects(
            [(token, prompts[pk], chosen(pk)) for token, pk in entry["prompts"] if pk in prompts],
            options,
        )

    def initial(self, entry, answer):
        given = answer if isinstance(answer, Mapping) else {}
        return {
            token: token_of(entry["options"], given.get(pk)) or "" for token, pk in entry["prompts"]
        }

    def read(self, entry, question, data):
        prompts, values = self._answerable(question)
        offered = {token for token, value in entry["options"] if value in values}
        cleaned = {
            token: prompt_token(data, token, offered)
            for token, pk in entry["prompts"]
            if pk in prompts
        }
        return self.answer(entry, cleaned)

    def answer(self, entry, cleaned):
        mapping = {}
        for token, pk in entry["prompts"]:
            value = value_of(entry["options"], cleaned.get(token) or "")
            if value is not None:
                mapping[pk] = value
        return mapping or None


def _same_answer(pair: MatchingPair) -> str:
    # Pairs whose (English) answers read the same offer one option, accepted for each of them.
    return pair.answer_en.strip().casefold()


def is_distractor(pair: MatchingPair) -> bool:
    """A pair without a prompt in any language only adds a wrong answer to the options."""
    return not any(translated_values(pair, "prompt").values())


@register
class Matching(PromptType):
    name = "matching"
    label = _("Matching")
    key_class = MatchingKey
    children = ("pairs",)
    placeholder = _("Choose an answer")
    messages = {Problem.TOO_FEW_PAIRS: _("A matching question needs at least two pairs.")}

    def package_problems(self, data, place):
        problems: list[str] = []
        count = 0
        for where, pair in objects(data, "pairs", place, problems):
            if not isinstance(pair, dict):
                problems.append(f"{where}: expected an object")
                continue
            problems += plain_problems(pair.get("prompt"), f"{where}.prompt", TEXT_MAX)
            problems += plain_problems(pair.get("answer"), f"{where}.answer", TEXT_MAX)
            count += 1
        if "distractors" in data:  # optional: packages written before stay valid
            for where, answer in objects(data, "distractors", place, problems):
                problems += plain_problems(answer, where, TEXT_MAX)
        if problems:
            return problems
        return self.problem_places(MatchingKey.problems(count), place, "pairs")

    def admin_problems(self, cleaned, formsets):
        prompts = [row for row in kept_rows(formsets["pairs"]) if _row_prompt(row)]
        problems = MatchingKey.problems(len(prompts))
        return [(None, self.messages[problem]) for problem in problems]

    def build(self, question, data):
        distractors = [{"prompt": {}, "answer": answer} for answer in data.get("distractors", [])]
        for position, entry in enumerate([*data["pairs"], *distractors]):
            pair = MatchingPair(sort_order=position)
            set_translated(pair, "prompt", entry["prompt"])
            set_translated(pair, "answer", entry["answer"])
            question.pairs.add(pair)

    def export(self, question):
        pairs = list(question.pairs.all())
        data: dict[str, Any] = {
            "pairs": [
                {"prompt": translated_values(p, "prompt"), "answer": translated_values(p, "answer")}
                for p in pairs
                if not is_distractor(p)
            ]
        }
        if distractors := [translated_values(p, "answer") for p in pairs if is_distractor(p)]:
            data["distractors"] = distractors
        return data

    def key(self, question, marks):
        pairs = [pair for pair in question.pairs.all() if not is_distractor(pair)]
        accepted: dict[str, frozenset[int]] = {}
        for pair in pairs:
            accepted[_same_answer(pair)] = accepted.get(_same_answer(pair), frozenset()) | {pair.pk}
        return MatchingKey(
            id=question.pk,
            marks=marks,
            matches={pair.pk: accepted[_same_answer(pair)] for pair in pairs},
        )

    def layout(self, question, *, rng, shuffle, tokens):
        pairs = list(question.pairs.all())
        options: dict[str, int] = {}
        for pair in pairs:  # one option per distinct answer, shown in no telling order
            options.setdefault(_same_answer(pair), pair.pk)
        return {
            "prompts": tokenised([pair.pk for pair in pairs if not is_distractor(pair)], tokens),
            "options": tokenised(derange(list(options.values()), rng), tokens),
        }

    def _labels(self, question):
        pairs = list(question.pairs.all())
        return {p.pk: p.prompt for p in pairs if not is_distractor(p)}, {
            p.pk: p.answer for p in pairs
        }

    def _answerable(self, question):
        pairs = list(question.pairs.all())
        return {p.pk for p in pairs if not is_distractor(p)}, {p.pk for p in pairs}

    def review(self, entry, question, key, answer, *, show_feedback):
        pairs = {pair.pk: pair for pair in question.pairs.all()}
        given = answer if isinstance(answer, Mapping) else {}
        lines = []
        for _name, pk in entry["prompts"]:
            pair = pairs.get(pk)
            if pair is None:
                continue
            chosen = pairs.get(given.get(pk))
            lines.append(
                ReviewLine(
                    label=pair.prompt,
                    chosen=chosen.answer if chosen else str(_("No answer")),
                    right=given.get(pk) in key.matches.get(pk, ()) if pk in given else None,
                    correct_answer=pair.answer if show_feedback else "",
                )
            )
        return lines


@register
class Ordering(PromptType):
    name = "ordering"
    label = _("Ordering")
    key_class = OrderingKey
    children = ("items",)
    instruction = _("Give each item its position, 1 being first.")
    placeholder = _("Choose a position")
    messages = {Problem.TOO_FEW_ITEMS: _("An ordering question needs at least two items.")}
    # Moodle's labels for its grading types (qtype_ordering), the usual rule first.
    gradings = {
        OrderingGrading.ABSOLUTE_POSITION: _("Absolute position"),
        OrderingGrading.RELATIVE_NEXT_EXCLUDE_LAST: _("Relative to the next item (excluding last)"),
        OrderingGrading.RELATIVE_NEXT_INCLUDE_LAST: _("Relative to the next item (including last)"),
        OrderingGrading.RELATIVE_ONE_PREVIOUS_AND_NEXT: _(
            "Relative to both the previous and next items"
        ),
        OrderingGrading.RELATIVE_ALL_PREVIOUS_AND_NEXT: _(
            "Relative to all the previous and next items"
        ),
        OrderingGrading.LONGEST_ORDERED_SUBSET: _("Longest ordered subset"),
        OrderingGrading.LONGEST_CONTIGUOUS_SUBSET: _("Longest contiguous subset"),
        OrderingGrading.RELATIVE_TO_CORRECT: _("Relative to the correct position"),
        OrderingGrading.ALL_OR_NOTHING: _("All or nothing"),
    }

    def package_problems(self, data, place):
        problems: list[str] = []
        entries = objects(data, "items", place, problems)
        for where, item in entries:
            problems += plain_problems(item, where, TEXT_MAX)
        if problems:
            return problems
        return self.problem_places(OrderingKey.problems(len(entries)), place, "items")

    def admin_problems(self, cleaned, formsets):
        problems = OrderingKey.problems(len(kept_rows(formsets["items"])))
        return [(None, self.messages[problem]) for problem in problems]

    def build(self, question, data):
        # sort_order is the authored order, which is the correct order.
        for position, entry in enumerate(data["items"]):
            item = OrderingItem(sort_order=position)
            set_translated(item, "text", entry)
            question.items.add(item)

    def export(self, question):
        return {"items": [translated_values(item, "text") for item in question.items.all()]}

    def key(self, question, marks):
        positions = {item.pk: at for at, item in enumerate(question.items.all(), start=1)}
        return OrderingKey(
            id=question.pk, marks=marks, positions=positions, grading=self.grading_of(question)
        )

    def layout(self, question, *, rng, shuffle, tokens):
        ids = [item.pk for item in question.items.all()]
        return {
            # Shown in no telling order; positions are offered in order (they are labels).
            "prompts": tokenised(derange(ids, rng), tokens),
            "options": tokenised(range(1, len(ids) + 1), tokens),
        }

    def _labels(self, question):
        items = list(question.items.all())
        return {item.pk: item.text for item in items}, {
            at: str(at) for at in range(1, len(items) + 1)
        }

    def _answerable(self, question):
        items = list(question.items.all())
        return {item.pk for item in items}, set(range(1, len(items) + 1))

    def review(self, entry, question, key, answer, *, show_feedback):
        items = {item.pk: item for item in question.items.all()}
        given = answer if isinstance(answer, Mapping) else {}
        lines = []
        for _name, pk in entry["prompts"]:
            item = items.get(pk)
            if item is None:
                continue
            at = given.get(pk)
            lines.append(
                ReviewLine(
                    label=item.text,
                    chosen=str(at) if at else str(_("No answer")),
                    right=at == key.positions.get(pk) if at else None,
                    correct_answer=str(key.positions.get(pk, "")) if show_feedback else "",
                )
            )
        return lines
