"""The audit trail as sentences in the reader's language, with links to the people and pages
they name: "Amina Haddad submitted attempt 2 at Preservation requests (score 80 %)".

One sentence function per action (`SENTENCES`), given an `EntryView`: the entry, and the objects
it refers to, fetched for a whole page of entries at once (`entries_describe`: a few queries
whatever the number of entries). What an entry keeps in `data` is used first, so a sentence
still reads right after the objects it names have changed or gone.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models.functions import Lower
from django.urls import NoReverseMatch, reverse
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Page

from cms.formatting import format_percent
from cms.roles import GROUP_NAMES

from .models import AuditEntry, Lockout

Action = AuditEntry.Action
Scope = Lockout.Scope
User = get_user_model()

_ROLE_LABELS = {name: role.label for role, name in GROUP_NAMES.items()}


def _sentence(template: str, **values) -> SafeString:
    """`template` (a translated string with %(name)s places) with each value escaped."""
    return mark_safe(  # noqa: S308 - the template is escaped, each value is escaped
        escape(template) % {name: conditional_escape(value) for name, value in values.items()}
    )


def _text(value) -> SafeString:
    return format_html("<bdi>{}</bdi>", value)


def _link(text, url: str | None) -> SafeString:
    if url is None:
        return _text(text)
    return format_html('<a href="{}"><bdi>{}</bdi></a>', url, text)


def _user_name(user) -> str:
    return user.get_full_name() or user.get_username()


def _is_page(label: str) -> bool:
    try:
        return issubclass(apps.get_model(label), Page)
    except (LookupError, ValueError):
        return False


@dataclass
class Objects:
    """The users and pages a page of entries names, fetched in bulk."""

    users: dict[int, object]
    users_by_name: dict[str, object]
    pages: dict[int, Page]

    def user(self, pk, fallback: str = "") -> SafeString:
        user = self.users.get(_int(pk))
        if user is None:
            return _text(fallback or _("a deleted account"))
        return _link(_user_name(user), reverse("wagtailusers_users:edit", args=[user.pk]))

    def account(self, username: str) -> SafeString:
        user = self.users_by_name.get(username.lower())
        if user is None:
            return _text(username)
        return _link(user.get_username(), reverse("wagtailusers_users:edit", args=[user.pk]))

    def page(self, pk, fallback: str = "") -> SafeString:
        page = self.pages.get(_int(pk))
        if page is None:
            return _text(fallback or _("a deleted page"))
        try:
            url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        except NoReverseMatch:
            url = None
        return _link(page.title, url)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@dataclass
class EntryView:
    entry: AuditEntry
    objects: Objects

    @property
    def data(self) -> dict:
        return self.entry.data or {}

    @property
    def actor(self) -> SafeString:
        """Who did it: the account (linked), else what the entry says of them."""
        entry = self.entry
        if entry.user_id is not None:
            return self.objects.user(entry.user_id, entry.username)
        if entry.username:
            return _text(entry.username)
        if entry.ip_address:
            return _text(_("An anonymous visitor"))
        # Neither a person nor an address: a management command on the server.
        return _text(_("A command on the server"))

    @property
    def object(self) -> SafeString:
        entry = self.entry
        if entry.object_type == User._meta.label_lower:
            return self.objects.user(entry.object_id, entry.object_repr)
        if _is_page(entry.object_type):
            return self.objects.page(entry.object_id, entry.object_repr)
        return _text(entry.object_repr)


Sentence = Callable[[EntryView], SafeString]


def _quiz_submitted(view: EntryView) -> SafeString:
    data = view.data
    if "number" not in data:
        return _generic(view)
    quiz = view.objects.page(data.get("quiz"), view.entry.object_repr)
    if data.get("score") is None:
        return _sentence(
            _("%(actor)s submitted attempt %(number)s at %(quiz)s"),
            actor=view.actor,
            number=data["number"],
            quiz=quiz,
        )
    return _sentence(
        _("%(actor)s submitted attempt %(number)s at %(quiz)s (score %(score)s)"),
        actor=view.actor,
        number=data["number"],
        quiz=quiz,
        score=_percent(data["score"]),
    )


def _percent(value) -> str:
    return format_percent(value, -2)


def _lockout_subject(view: EntryView) -> dict:
    data = view.data
    return {
        "account": view.objects.account(data.get("username") or ""),
        "address": _text(data.get("address") or ""),
    }


_LOCKOUT = {
    Scope.ACCOUNT_ADDRESS: lambda: _(
        "Signing in as %(account)s from %(address)s is locked after too many failures"
    ),
    Scope.ACCOUNT: lambda: _(
        "Signing in as %(account)s is locked from every address after too many failures"
    ),
    Scope.ADDRESS: lambda: _(
        "Signing in from %(address)s is locked for every account after too many failures"
    ),
}
_LOCKOUT_LIFTED = {
    Scope.ACCOUNT_ADDRESS: lambda: _(
        "%(actor)s lifted the lockout of %(account)s from %(address)s"
    ),
    Scope.ACCOUNT: lambda: _("%(actor)s lifted the lockout of %(account)s"),
    Scope.ADDRESS: lambda: _("%(actor)s lifted the lockout of the address %(address)s"),
}


def _lockout(view: EntryView) -> SafeString:
    template = _LOCKOUT.get(view.data.get("scope"))
    if template is None:
        return _generic(view)
    return _sentence(template(), **_lockout_subject(view))


def _lockout_lifted(view: EntryView) -> SafeString:
    template = _LOCKOUT_LIFTED.get(view.data.get("scope"))
    if template is None:
        return _generic(view)
    return _sentence(template(), actor=view.actor, **_lockout_subject(view))


def _denied(view: EntryView) -> SafeString:
    data = view.data
    path = data.get("path") or view.entry.detail
    if data.get("status"):
        return _sentence(
            _("%(actor)s was refused %(method)s %(path)s (%(status)s)"),
            actor=view.actor,
            method=data.get("method", ""),
            path=_text(path),
            status=data["status"],
        )
    return _sentence(_("%(actor)s was refused %(path)s"), actor=view.actor, path=_text(path))


def _course_imported(view: EntryView) -> SafeString:
    # courses sends "replace=True" or "replace=False" as the detail.
    if view.entry.detail == "replace=True":
        template = _("%(actor)s replaced the course %(course)s from a package")
    else:
        template = _("%(actor)s imported the course %(course)s from a package")
    return _sentence(template, actor=view.actor, course=view.object)


def _users_imported(view: EntryView) -> SafeString:
    data = view.data
    if "count" not in data:
        return _generic(view)
    count = data["count"]
    imported = _sentence(
        ngettext("%(actor)s imported %(count)s user", "%(actor)s imported %(count)s users", count),
        actor=view.actor,
        count=count,
    )
    organisations = data.get("organisations") or []
    if not organisations:
        return imported
    return _sentence(
        _("%(imported)s and created the organisations %(organisations)s"),
        imported=imported,
        organisations=_text(", ".join(organisations)),
    )


def _role_changed(view: EntryView) -> SafeString:
    change, _sep, names = view.entry.detail.partition(": ")
    roles = _text(", ".join(str(_ROLE_LABELS.get(n, n)) for n in names.split(", ") if n))
    templates = {
        "added": _("%(actor)s gave %(user)s the role %(roles)s"),
        "removed": _("%(actor)s took the role %(roles)s from %(user)s"),
        "cleared": _("%(actor)s took every role from %(user)s"),
    }
    if change not in templates:
        return _generic(view)
    return _sentence(templates[change], actor=view.actor, user=view.object, roles=roles)


def _password_set(view: EntryView) -> SafeString:
    if view.data.get("link") == "invitation":
        return _sentence(
            _("%(actor)s chose a first password with the link from their administrator"),
            actor=view.actor,
        )
    return _sentence(_("%(actor)s chose a new password with a reset link"), actor=view.actor)


def _reset_throttled(view: EntryView) -> SafeString:
    if view.data.get("scope") == "account":
        return _sentence(
            _("No reset link was sent to %(user)s: too many requests for this account"),
            user=view.object,
        )
    return _sentence(
        _("A password reset request from %(address)s was refused: too many requests"),
        address=_text(view.entry.ip_address or ""),
    )


def _second_factor_verified(view: EntryView) -> SafeString:
    if view.entry.detail == "StaticDevice":
        return _sentence(
            _("%(actor)s passed two-step verification with a recovery code"), actor=view.actor
        )
    return _sentence(_("%(actor)s passed two-step verification"), actor=view.actor)


def _revocation_reason(code: str) -> str:
    """The reason's label in the reader's language, from the certificates app when it is
    installed (security reads other apps, never the other way round)."""
    try:
        field = apps.get_model("certificates", "Certificate")._meta.get_field("revocation_reason")
    except LookupError:
        return code
    return str(dict(field.flatchoices).get(code, code))


def _certificate_issued(view: EntryView) -> SafeString:
    return _sentence(
        _("%(actor)s was awarded the certificate %(serial)s"),
        actor=view.actor,
        serial=_text(view.entry.object_repr),
    )


def _certificate_revoked(view: EntryView) -> SafeString:
    return _sentence(
        _("%(actor)s revoked the certificate %(serial)s (%(reason)s)"),
        actor=view.actor,
        serial=_text(view.entry.object_repr),
        reason=_revocation_reason(view.entry.detail),
    )


def _about_actor(template: Callable[[], str]) -> Sentence:
    return lambda view: _sentence(template(), actor=view.actor)


def _about_object(template: Callable[[], str]) -> Sentence:
    return lambda view: _sentence(template(), actor=view.actor, object=view.object)


def _generic(view: EntryView) -> SafeString:
    """For entries without a sentence of their own, or without the facts one needs."""
    parts = [view.actor, _text(view.entry.get_action_display())]
    if view.entry.object_repr:
        parts.append(view.object)
    if view.entry.detail:
        parts.append(_text(view.entry.detail))
    return mark_safe(" · ".join(str(part) for part in parts))  # noqa: S308 - each part escaped


SENTENCES: dict[str, Sentence] = {
    Action.SIGN_IN: _about_actor(lambda: _("%(actor)s signed in")),
    Action.SIGN_IN_FAILED: _about_actor(lambda: _("Failed sign-in as %(actor)s")),
    Action.SIGN_OUT: _about_actor(lambda: _("%(actor)s signed out")),
    Action.LOCKOUT: _lockout,
    Action.LOCKOUT_LIFTED: _lockout_lifted,
    Action.SECOND_FACTOR_ENROLLED: _about_actor(
        lambda: _("%(actor)s set up two-step verification")
    ),
    Action.SECOND_FACTOR_VERIFIED: _second_factor_verified,
    Action.SECOND_FACTOR_FAILED: _about_actor(
        lambda: _("%(actor)s gave a wrong two-step verification code")
    ),
    Action.SECOND_FACTOR_REMOVED: _about_actor(
        lambda: _("%(actor)s turned two-step verification off")
    ),
    Action.PERMISSION_DENIED: _denied,
    Action.PAGE_PUBLISHED: _about_object(lambda: _("%(actor)s published the page %(object)s")),
    Action.QUIZ_SUBMITTED: _quiz_submitted,
    Action.REPORT_EXPORTED: lambda view: _sentence(
        _("%(actor)s exported the report %(file)s"), actor=view.actor, file=_text(view.entry.detail)
    ),
    Action.COURSE_IMPORTED: _course_imported,
    Action.USERS_IMPORTED: _users_imported,
    Action.ROLE_CHANGED: _role_changed,
    Action.DATA_EXPORTED: _about_object(
        lambda: _("%(actor)s exported the personal data of %(object)s")
    ),
    Action.USER_ERASED: _about_object(lambda: _("%(actor)s erased the learner %(object)s")),
    Action.PASSWORD_RESET_SENT: lambda view: _sentence(
        _("A password reset link was sent to %(user)s"), user=view.object
    ),
    Action.PASSWORD_RESET_UNKNOWN: lambda view: _sentence(
        _("A password reset was asked for an address no account uses")
    ),
    Action.PASSWORD_RESET_THROTTLED: _reset_throttled,
    Action.PASSWORD_SET: _password_set,
    Action.PASSWORD_CHANGED: _about_actor(lambda: _("%(actor)s changed their password")),
    Action.CERTIFICATE_ISSUED: _certificate_issued,
    Action.CERTIFICATE_REVOKED: _certificate_revoked,
}


def _objects_for(entries: list[AuditEntry]) -> Objects:
    user_ids = {entry.user_id for entry in entries if entry.user_id is not None}
    page_ids: set[int] = set()
    usernames: set[str] = set()
    user_label = User._meta.label_lower
    for entry in entries:
        pk = _int(entry.object_id)
        if pk is not None and entry.object_type == user_label:
            user_ids.add(pk)
        elif pk is not None and entry.object_type and _is_page(entry.object_type):
            page_ids.add(pk)
        data = entry.data or {}
        quiz = _int(data.get("quiz"))
        if entry.action == Action.QUIZ_SUBMITTED and quiz is not None:
            page_ids.add(quiz)
        if data.get("username"):
            usernames.add(str(data["username"]).lower())
    users = User.objects.in_bulk(user_ids) if user_ids else {}
    by_name = {}
    if usernames:
        for user in User.objects.annotate(lower=Lower("username")).filter(lower__in=usernames):
            by_name[user.get_username().lower()] = user
    pages = Page.objects.in_bulk(page_ids) if page_ids else {}
    return Objects(users=users, users_by_name=by_name, pages=pages)


def entries_describe(entries: Iterable[AuditEntry]) -> list[AuditEntry]:
    """`entries`, each with `sentence` set (HTML), for one page of the audit trail."""
    listed = list(entries)
    objects = _objects_for(listed)
    for entry in listed:
        sentence = SENTENCES.get(entry.action, _generic)
        entry.sentence = sentence(EntryView(entry, objects))
    return listed
