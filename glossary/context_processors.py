from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def find_links(request):
    """The header's links to search and the glossary, for signed-in readers (as the rest of
    the content). The same for every reader of a language: safe in shared page shells."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {
        "find_links": [
            (_("Search"), reverse("search:search")),
            (_("Glossary"), reverse("glossary:index")),
        ]
    }
