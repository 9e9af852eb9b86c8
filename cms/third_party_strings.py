"""Interface strings of third-party apps that ship no Arabic or French translation.

Django looks a string up in this project's catalogues (`locale/`) before any app's, so naming
a library's string here (`gettext_noop`: it is only ever translated where the library uses
it) is enough for `make messages` to keep it in the catalogues and for the admin to show it
in the trainer's language. Each entry names where it appears.
"""

from django.utils.translation import gettext_noop

STRINGS = (
    # wagtail-modeltranslation: the language picker above translated fields.
    gettext_noop("View / edit fields for"),
    # Django's sign-in form (AuthenticationForm.error_messages["invalid_login"]): its Arabic
    # says "كلمة السر", the platform says "كلمة المرور" everywhere.
    gettext_noop(
        "Please enter a correct %(username)s and password. Note that both fields may be "
        "case-sensitive."
    ),
)
