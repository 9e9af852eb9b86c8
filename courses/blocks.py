"""StreamField blocks for module bodies. Every rich-text value passes `sanitize_html`."""

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.rich_text import RichText, expand_db_html

from cms.sanitize import sanitize_html, strip_html

from .rendering import no_autolink

RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link", "h3", "h4"]


class SafeRichTextBlock(blocks.RichTextBlock):
    """Rich text sanitised when it is saved and again when it is rendered."""

    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    def get_prep_value(self, value):
        return sanitize_html(super().get_prep_value(value))

    def to_python(self, value):
        return RichText(sanitize_html(value))

    def render_basic(self, value, context=None):
        source = value.source if isinstance(value, RichText) else str(value)
        return mark_safe(sanitize_html(expand_db_html(source)))  # noqa: S308 - sanitised


class UnlinkedRichTextBlock(SafeRichTextBlock):
    """Rich text in which nothing adds links (no glossary terms), for quotations and the like."""

    def render_basic(self, value, context=None):
        return no_autolink(super().render_basic(value, context))


class LinkTermsStructBlock(blocks.StructBlock):
    """A block whose text may get glossary links, with a setting to switch them off.

    Blocks stored before the setting existed have it on; a block with it on is stored,
    exported and rendered exactly as before the setting existed: only "link_terms": false
    is ever written.
    """

    link_terms = blocks.BooleanBlock(
        label=_("Link glossary terms"),
        required=False,
        default=True,
        help_text=_("Untick to show this block without links to the glossary."),
    )

    def get_form_layout(self):
        if self.meta.form_layout is not None:
            return super().get_form_layout()
        return blocks.BlockGroup(
            children=[name for name in self.child_blocks if name != "link_terms"],
            settings=["link_terms"],
        )

    def get_prep_value(self, value):
        prep = super().get_prep_value(value)
        if prep.get("link_terms", True) is True:
            prep.pop("link_terms", None)
        return prep

    def render(self, value, context=None):
        html = super().render(value, context)
        return html if value.get("link_terms", True) else no_autolink(html)


class PlainTextBlock(blocks.CharBlock):
    """A line of text; any markup pasted or imported into it is removed."""

    def get_prep_value(self, value):
        return strip_html(super().get_prep_value(value))

    def to_python(self, value):
        return strip_html(value)


class HeadingBlock(PlainTextBlock):
    def __init__(self, **kwargs):
        super().__init__(max_length=200, label=_("Heading"), icon="title", **kwargs)

    def render_basic(self, value, context=None):
        return format_html('<h2 dir="auto">{}</h2>', value)


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt = PlainTextBlock(
        label=_("Alternative text"),
        max_length=250,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    caption = PlainTextBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "courses/blocks/image.html"


class CalloutBlock(LinkTermsStructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=[("key_point", _("Key point")), ("warning", _("Warning")), ("note", _("Note"))],
        default="key_point",
    )
    title = PlainTextBlock(label=_("Title"), required=False, max_length=200)
    body = SafeRichTextBlock(label=_("Text"))

    class Meta:
        icon = "pick"
        label = _("Key point / callout")
        template = "courses/blocks/callout.html"


class CaseStudyBlock(LinkTermsStructBlock):
    title = PlainTextBlock(label=_("Title"), max_length=200)
    scenario = SafeRichTextBlock(label=_("Scenario"))
    prompts = blocks.ListBlock(
        PlainTextBlock(max_length=500, label=_("Prompt")), label=_("Discussion prompts")
    )

    class Meta:
        icon = "doc-full"
        label = _("Case study")
        template = "courses/blocks/case_study.html"


class LegalReferenceBlock(blocks.StructBlock):
    instrument = PlainTextBlock(label=_("Instrument"), max_length=300)
    provision = PlainTextBlock(label=_("Article or provision"), required=False, max_length=200)
    url = blocks.URLBlock(label=_("Link to the official text"), required=False)
    summary = SafeRichTextBlock(label=_("Summary"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Legal reference")
        template = "courses/blocks/legal_reference.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = PlainTextBlock(label=_("Link text"), required=False, max_length=200)

    class Meta:
        icon = "doc-full-inverse"
        label = _("Document download")
        template = "courses/blocks/document.html"


class VideoBlock(LinkTermsStructBlock):
    video = DocumentChooserBlock(label=_("Video file (MP4 or WebM)"))
    captions = DocumentChooserBlock(label=_("Captions (WebVTT)"), required=False)
    transcript = SafeRichTextBlock(label=_("Transcript"))

    class Meta:
        icon = "media"
        label = _("Video")
        template = "courses/blocks/video.html"


class GlossaryTermBlock(blocks.StructBlock):
    term_en = PlainTextBlock(label=_("Term in English"), max_length=200)
    term_fr = PlainTextBlock(label=_("Term in French"), max_length=200)
    term_ar = PlainTextBlock(label=_("Term in Arabic"), max_length=200)
    definition = SafeRichTextBlock(label=_("Definition"))

    class Meta:
        icon = "help"
        label = _("Glossary term")
        template = "courses/blocks/glossary_term.html"


MODULE_BLOCKS = [
    ("heading", HeadingBlock()),
    ("paragraph", SafeRichTextBlock(label=_("Rich text"))),
    ("paragraph_unlinked", UnlinkedRichTextBlock(label=_("Rich text without glossary links"))),
    ("image", CaptionedImageBlock()),
    ("callout", CalloutBlock()),
    ("case_study", CaseStudyBlock()),
    ("legal_reference", LegalReferenceBlock()),
    ("document", DocumentBlock()),
    ("video", VideoBlock()),
    ("glossary_term", GlossaryTermBlock()),
]
