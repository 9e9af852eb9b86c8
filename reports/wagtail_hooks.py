from wagtail import hooks

from .admin import manager_scope_viewset


@hooks.register("register_admin_viewset")
def register_manager_scope_viewset():
    return manager_scope_viewset
