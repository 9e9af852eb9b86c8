"""The results page's filters and breakdown. Choices are limited to the reader's scope; a
value outside it answers 404, as the other reports do."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from reports.forms import OrganisationChoiceField
from reports.scope import Scope
from reports.selectors import countries_in_scope, organisation_with_units, organisations_in_scope

from .dimensions import dimensions
from .selectors import ResultFilters

BREAKDOWN_CHOICES = [
    ("", _("None")),
    ("country", _("Country")),
    ("organisation", _("Organisation")),
    ("language", _("Study language")),
]


class ResultFilterForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"), required=False)
    organisation = OrganisationChoiceField(
        label=_("Organisation"),
        queryset=None,
        required=False,
        empty_label=_("All"),
        help_text=_("Includes its units."),
    )
    language = forms.ChoiceField(label=_("Study language"), required=False)
    breakdown = forms.ChoiceField(
        label=_("Break down by"), choices=BREAKDOWN_CHOICES, required=False
    )

    def __init__(self, *args, scope: Scope, survey=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations_in_scope(scope=scope)
        self.fields["country"].choices = [("", _("All")), *countries_in_scope(scope=scope)]
        self.fields["language"].choices = [("", _("All")), *settings.LANGUAGES]
        # Registered dimensions (workshops): a filter each, limited to the reader's scope,
        # and a breakdown. Inserted before the breakdown, in the order registered.
        breakdown = self.fields.pop("breakdown")
        self.dimension_names = []
        for registered in dimensions():
            self.fields[registered.key] = forms.TypedChoiceField(
                label=registered.label,
                required=False,
                coerce=int,
                empty_value=None,
                choices=[
                    ("", _("All")),
                    *(
                        (str(key), label)
                        for key, label in registered.choices(survey=survey, scope=scope)
                    ),
                ],
            )
            self.dimension_names.append(registered.key)
            breakdown.choices = [*breakdown.choices, (registered.key, registered.label)]
        self.fields["breakdown"] = breakdown

    def out_of_scope(self) -> bool:
        return any(
            error.code == "invalid_choice"
            for name in ("organisation", "country", *self.dimension_names)
            for error in self.errors.as_data().get(name, [])
        )

    def described(self) -> list[tuple[str, str]]:
        if not self.is_bound or not self.is_valid():
            return []
        data = self.cleaned_data
        found = []
        if data.get("country"):
            found.append((str(self.fields["country"].label), str(countries.name(data["country"]))))
        if data.get("organisation") is not None:
            found.append((str(self.fields["organisation"].label), str(data["organisation"])))
        if data.get("language"):
            found.append(
                (str(self.fields["language"].label), dict(settings.LANGUAGES)[data["language"]])
            )
        for name in self.dimension_names:
            if data.get(name) is not None:
                field = self.fields[name]
                found.append((str(field.label), str(dict(field.choices)[str(data[name])])))
        return found

    def filters(self) -> ResultFilters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        organisation = data.get("organisation")
        return ResultFilters(
            country=data.get("country") or "",
            organisation_ids=organisation_with_units(organisation=organisation)
            if organisation
            else frozenset(),
            language=data.get("language") or "",
            breakdown=data.get("breakdown") or "",
            groups=tuple(
                (name, data[name]) for name in self.dimension_names if data.get(name) is not None
            ),
        )
