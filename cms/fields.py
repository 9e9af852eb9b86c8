"""Model fields shared by the apps."""

from wagtail.fields import RichTextField

from .sanitize import sanitize_html


class SanitizedRichTextField(RichTextField):
    """A rich-text field whose value passes the allow-list (`cms.sanitize`) whenever it is saved.

    django-modeltranslation builds `<name>_en/_fr/_ar` from this class, so every language is
    sanitised by the field itself, however the value arrived (admin, package, script).
    """

    def pre_save(self, model_instance, add):
        value = sanitize_html(getattr(model_instance, self.attname) or "")
        setattr(model_instance, self.attname, value)
        return value
