"""Model fields shared by the apps."""

from wagtail.fields import RichTextField, StreamField

from .sanitize import sanitize_html


class SanitizedRichTextField(RichTextField):
    """A rich-text field whose value passes the allow-list (`cms.sanitize`) whenever it is
    cleaned (editor forms, `full_clean`, new revisions) and whenever it is saved.

    django-modeltranslation builds `<name>_en/_fr/_ar` from this class, so every language is
    sanitised by the field itself, however the value arrived (admin, package, script).
    """

    def clean(self, value, model_instance):
        return sanitize_html(super().clean(value, model_instance))

    def pre_save(self, model_instance, add):
        value = sanitize_html(super().pre_save(model_instance, add) or "")
        # Into the instance's own slot, never through a descriptor: for the untranslated
        # `<name>` django-modeltranslation keeps beside `<name>_en/_fr/_ar`, assigning would
        # copy the active language's fallback into that language's field.
        model_instance.__dict__[self.attname] = value
        return value


class SanitizedStreamField(StreamField):
    """A StreamField whose every block is converted by its block type before it is saved.

    Raw JSON assigned by code (a package, a script) would otherwise be stored as given; the
    conversion runs each block's own cleaning (rich-text blocks sanitise, plain-text blocks
    strip markup), so what is saved is what the editor would have allowed. The conversion
    happens in place on the value, so nothing is assigned back (see above).
    """

    def pre_save(self, model_instance, add):
        value = super().pre_save(model_instance, add)
        if value:
            list(value)
        return value
