"""Admin menu items shown only to those who may use what they lead to."""

from wagtail.admin.menu import MenuItem


class PermissionMenuItem(MenuItem):
    """Shown to users with `permission` (e.g. "cms.add_user")."""

    def __init__(self, *args, permission: str, **kwargs):
        self.permission = permission
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


class SuperuserMenuItem(MenuItem):
    """Shown to administrators only."""

    def is_shown(self, request):
        return request.user.is_superuser
