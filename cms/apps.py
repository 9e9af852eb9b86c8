from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site")


class TadribUsersConfig(WagtailUsersAppConfig):
    """Wagtail's users app with a viewset that edits organisation and preferred language."""

    user_viewset = "cms.viewsets.UserViewSet"
