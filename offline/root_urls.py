"""Offline URLs outside the language prefix: the worker (its scope is the whole site), the
learner's state and the queue's endpoint (the same in every language)."""

from django.urls import path

from . import views

urlpatterns = [
    path("sw.js", views.worker, name="offline_worker"),
    path("offline/state.json", views.state, name="offline_state"),
    path("offline/sync/", views.sync, name="offline_sync"),
]
