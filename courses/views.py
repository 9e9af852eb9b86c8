from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page

from cms import page_cache

from . import learning_shell, selectors, services
from .models import ModulePage


@login_required
def my_learning(request):
    """The learner's courses: from the page's shell with their list in its slot (a constant
    few queries, see courses.learning_shell), else rendered in full."""
    if page_cache.may_use(request) and (response := learning_shell.serve_my_learning(request)):
        return response
    entries = selectors.my_learning(user=request.user, request=request)
    certificates, workshops = learning_shell.certificates_of(request.user)
    rows = learning_shell.rows_of(entries, certificates)
    return learning_shell.render(request, rows, workshops)


def catalogue_redirect(request):
    """A stable address for the catalogue, whose slug is translated and editable, for links
    from outside (e-mails, bookmarks); pages link to the catalogue itself."""
    url = selectors.catalogue_url(request)
    if not url:
        raise Http404
    return HttpResponseRedirect(url)


@login_required
@require_POST
def activity_mark_complete(request, page_id: int):
    """Mark a module complete. Only live modules of live courses; quizzes complete by scoring."""
    page = Page.objects.live().filter(pk=page_id).specific().first()
    if not isinstance(page, ModulePage) or selectors.live_course_of(activity=page) is None:
        raise Http404
    services.activity_complete(user=request.user, activity=page, language=request.LANGUAGE_CODE)
    messages.success(request, _("Module marked as complete."))
    target = request.POST.get("next") or page.get_url(request)
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = page.get_url(request)
    return HttpResponseRedirect(target)
