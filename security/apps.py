from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = _("Security")

    def ready(self):
        from cms.account_sections import account_section_register

        from . import csrf, signals  # noqa: F401 - signals connects receivers
        from .twofactor import preferences_section

        account_section_register(preferences_section)
        _audit_wagtail_admin_denials()
        csrf.install()


def _audit_wagtail_admin_denials():
    """Wagtail's admin answers a permission denial with a redirect and a message, not a 403,
    so the audit middleware would not see it: record it where Wagtail decides it."""
    from wagtail.admin import auth as wagtail_auth

    from .audit import Action, audit_log

    answer = wagtail_auth.permission_denied

    def permission_denied(request):
        # XHR denials become a 403, which the audit middleware records itself.
        if request.headers.get("x-requested-with") != "XMLHttpRequest":
            audit_log(action=Action.PERMISSION_DENIED, request=request, detail=request.path)
        return answer(request)

    wagtail_auth.permission_denied = permission_denied
