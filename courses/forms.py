"""Admin forms for course pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cms.page_forms import TadribPageForm

AT_THE_START = "start"


class ActivityPageForm(TadribPageForm):
    """Every activity's editor asks where in the course the activity goes.

    Wagtail adds a new page after its last sibling, so a module added to a course that ends
    with its final quiz landed after the quiz. The choice is offered when adding (defaulting
    to the end, said in words) and when editing (the current place); the page is moved once it
    is saved (`courses.wagtail_hooks`), and only if the choice changed.
    """

    place_after = forms.ChoiceField(
        label=_("Position in the course"),
        required=False,
        help_text=_("Learners meet the course's activities in this order."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        course = self.parent_page
        if course is None:
            del self.fields["place_after"]
            return
        siblings = course.get_children()
        if self.instance.pk:
            previous = self.instance.get_prev_sibling()
            siblings = siblings.exclude(pk=self.instance.pk)
            initial = str(previous.pk) if previous else AT_THE_START
        else:
            initial = None
        choices = [(AT_THE_START, _("At the beginning of the course"))]
        choices += [
            (str(page.pk), _("After “%(title)s”") % {"title": page.get_admin_display_title()})
            for page in siblings
        ]
        field = self.fields["place_after"]
        field.choices = choices
        field.initial = initial if initial is not None else choices[-1][0]

    def clean_place_after(self) -> int | None:
        """The id of the activity to follow, or None for the start of the course."""
        value = self.cleaned_data.get("place_after") or self.fields["place_after"].initial
        return None if value == AT_THE_START else int(value)

    def save(self, commit=True):
        page = super().save(commit=commit)
        if "place_after" in self.fields:
            # Read by the hooks that run once the page is in the tree.
            page.requested_place_after = self.cleaned_data.get("place_after")
        return page
