from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class CmsConfig(AppConfig):
    default = True
    name = "cms"
    verbose_name = _("Site")

    def ready(self):
        from . import navigation, page_cache, url_cache
        from .models import HomePage

        url_cache.install()

        page_cache.connect_signals()
        page_cache.register_slot(
            "account", template="components/account_nav.html", values=navigation.account_values
        )

        # wagtail-modeltranslation replaces `route` on every translated page model when it
        # starts (before this app); put the one-query lookup in front of its version. Lesson
        # pages depend on it: their first visit, and every one after a publish, is routed here.
        translated_route = HomePage.route

        def route(page, request, path_components):
            found = page.route_by_url_path(request, path_components)
            return found if found is not None else translated_route(page, request, path_components)

        HomePage.route = route


class TadribUsersConfig(WagtailUsersAppConfig):
    """Wagtail's users app with a viewset that edits organisation and preferred language."""

    default = False
    user_viewset = "cms.viewsets.UserViewSet"
