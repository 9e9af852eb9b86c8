"""Report filters and the assignment form. Choices offered are limited to the reader's scope;
a value outside it makes the view answer 404 (see `ReportFilterForm.out_of_scope`)."""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from courses.models import CoursePage

from .scope import Scope
from .selectors import (
    DateField,
    ReportFilters,
    countries_in_scope,
    organisation_with_units,
    organisations_in_scope,
)


class DateInput(forms.DateInput):
    input_type = "date"


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class ReportFilterForm(forms.Form):
    course = forms.ModelChoiceField(
        label=_("Course"), queryset=CoursePage.objects.none(), required=False, empty_label=_("All")
    )
    organisation = OrganisationChoiceField(
        label=_("Organisation"),
        queryset=None,
        required=False,
        empty_label=_("All"),
        help_text=_("Includes its units."),
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    date_field = forms.ChoiceField(
        label=_("Date"), choices=DateField.choices, required=False, initial=DateField.ENROLLED
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)

    def __init__(self, *args, scope: Scope, with_course: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        if with_course:
            self.fields["course"].queryset = CoursePage.objects.order_by("path")
        else:
            del self.fields["course"]
        self.fields["organisation"].queryset = organisations_in_scope(scope=scope)
        self.fields["country"].choices = [("", _("All")), *countries_in_scope(scope=scope)]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def out_of_scope(self) -> bool:
        """True when the URL names an organisation, country or course the reader may not see
        (or that does not exist): the view answers 404 rather than a form error."""
        return any(
            error.code == "invalid_choice"
            for name in ("course", "organisation", "country")
            for error in self.errors.as_data().get(name, [])
        )

    def described(self) -> list[tuple[str, str]]:
        """The filters applied, as (label, value) to state on a printed report."""
        if not self.is_bound or not self.is_valid():
            return []
        data = self.cleaned_data
        found = []
        for name in ("course", "organisation"):
            if data.get(name) is not None and name in self.fields:
                found.append((str(self.fields[name].label), str(data[name])))
        if data.get("country"):
            found.append((str(self.fields["country"].label), countries.name(data["country"])))
        start, end = data.get("date_from"), data.get("date_to")
        if start or end:
            kind = DateField(data.get("date_field") or DateField.ENROLLED).label
            span = " – ".join(
                date_format(d, "SHORT_DATE_FORMAT") if d else "…" for d in (start, end)
            )
            found.append((str(kind), span))
        return found

    def filters(self) -> ReportFilters:
        data = self.cleaned_data if self.is_valid() else {}
        organisation = data.get("organisation")
        course = data.get("course")
        return ReportFilters(
            course_id=course.pk if course else None,
            organisation_ids=organisation_with_units(organisation=organisation)
            if organisation
            else None,
            country=data.get("country") or "",
            date_field=data.get("date_field") or DateField.ENROLLED,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


class DueDateField(forms.DateField):
    """An optional due date, today or later: a learner cannot be late from the start."""

    widget = DateInput

    def __init__(self, **kwargs):
        super().__init__(label=_("Due date"), required=False, **kwargs)

    def widget_attrs(self, widget):
        # Browsers offer no earlier day; the server still refuses one.
        return {**super().widget_attrs(widget), "min": timezone.localdate().isoformat()}

    def validate(self, value):
        super().validate(value)
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(
                _("This date is in the past. Choose today or a later date."), code="past"
            )


class AssignForm(forms.Form):
    """Assign a course, with an optional due date, to one learner or to every learner of an
    organisation (and its units)."""

    course = forms.ModelChoiceField(label=_("Course"), queryset=CoursePage.objects.none())
    organisation = OrganisationChoiceField(
        label=_("Learners of"),
        queryset=None,
        required=False,
        help_text=_("Every active learner of this organisation and of its units."),
    )
    learner = forms.IntegerField(required=False, widget=forms.HiddenInput)
    due_date = DueDateField()

    def __init__(self, *args, scope: Scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = CoursePage.objects.live().order_by("path")
        self.fields["organisation"].queryset = organisations_in_scope(scope=scope)

    def clean(self):
        data = super().clean()
        if not data.get("organisation") and not data.get("learner"):
            raise forms.ValidationError(_("Choose the learners to assign the course to."))
        return data


class AssignmentChangeForm(forms.Form):
    """A new due date for an assignment (empty: no due date)."""

    due_date = DueDateField()
