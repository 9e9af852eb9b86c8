"""*Preferences → E-mails*: which kinds of e-mail a person receives."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from cms.account_sections import AccountSection

from .forms import EmailTopicsForm
from .services import email_topics_received, email_topics_set


@login_required
def preferences(request):
    form = EmailTopicsForm(
        request.POST or None, initial={"receive": email_topics_received(user=request.user)}
    )
    if request.method == "POST" and form.is_valid():
        email_topics_set(user=request.user, receive=form.cleaned_data["receive"])
        messages.success(request, _("Your e-mail choices have been saved."))
        return HttpResponseRedirect(reverse("notifications:preferences"))
    return render(request, "notifications/preferences.html", {"form": form})


def preferences_section(user) -> AccountSection:
    return AccountSection(
        title=_("E-mails"),
        text=_("Choose which e-mails Tadrib sends you."),
        link_label=_("Choose e-mails"),
        url=reverse("notifications:preferences"),
    )
