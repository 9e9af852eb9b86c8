from django.urls import path
from wagtail import hooks

from .admin_views import ParticipantsView, WorkshopViewSet


@hooks.register("register_admin_viewset")
def register_workshop_viewset():
    return WorkshopViewSet("workshop_admin", url_prefix="workshops")


@hooks.register("register_admin_urls")
def register_participants_url():
    return [
        path(
            "workshops/<int:pk>/participants/",
            ParticipantsView.as_view(),
            name="workshops_participants",
        )
    ]
