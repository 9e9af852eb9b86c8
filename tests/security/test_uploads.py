"""Uploads: raster images only, documents by allow-list and size, served only as attachments
through Wagtail's view, which keeps private collections private."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.documents.forms import get_document_form
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form
from wagtail.models import Collection, CollectionViewRestriction

pytestmark = pytest.mark.django_db
Document = get_document_model()
Image = get_image_model()
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>'
)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (2, 2), "red").save(buffer, "PNG")
    return buffer.getvalue()


def image_form(name: str, content: bytes):
    form_class = get_image_form(Image)
    return form_class(
        data={"title": "t", "collection": Collection.get_first_root_node().pk},
        files={"file": SimpleUploadedFile(name, content)},
    )


def document_form(name: str, content: bytes):
    form_class = get_document_form(Document)
    return form_class(
        data={"title": "t", "collection": Collection.get_first_root_node().pk},
        files={"file": SimpleUploadedFile(name, content)},
    )


def test_a_png_image_is_accepted(site):
    assert image_form("ok.png", png_bytes()).is_valid()


@pytest.mark.parametrize("name", ["drawing.svg", "drawing.png"])
def test_svg_images_are_refused_whatever_their_name(site, name):
    assert not image_form(name, SVG).is_valid()


@pytest.mark.parametrize("name", ["page.html", "run.exe", "x.svg", "macro.docm", "x.js"])
def test_documents_outside_the_allow_list_are_refused(site, name):
    assert not document_form(name, b"data").is_valid()


def test_documents_over_the_size_limit_are_refused(site, settings):
    settings.TADRIB_DOCUMENT_MAX_UPLOAD_SIZE = 10
    form = document_form("notes.pdf", b"%PDF-1.4 " + b"x" * 20)
    assert not form.is_valid()
    assert "too big" in str(form.errors["file"])
    settings.TADRIB_DOCUMENT_MAX_UPLOAD_SIZE = 1000
    assert document_form("notes.pdf", b"%PDF-1.4 " + b"x" * 20).is_valid()


def make_document(collection=None) -> Document:
    document = Document(title="Guide", collection=collection or Collection.get_first_root_node())
    document.file.save("guide.pdf", ContentFile(b"%PDF-1.4 guide"), save=True)
    return document


def test_documents_are_served_as_attachments_under_a_closed_policy(client, site):
    document = make_document()
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"


def private_collection() -> Collection:
    collection = Collection.get_first_root_node().add_child(name="Restricted")
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    return collection


def test_private_documents_are_not_served_to_anonymous_visitors(client, site):
    document = make_document(private_collection())
    response = client.get(document.url)
    assert response.status_code == 302
    assert "login" in response["Location"] or "sign-in" in response["Location"]


def test_private_documents_are_served_to_signed_in_users(client, site, learner):
    document = make_document(private_collection())
    client.force_login(learner)
    assert client.get(document.url).status_code == 200


def test_the_media_directory_never_serves_documents(client, site):
    document = make_document(private_collection())
    assert client.get(f"/media/{document.file.name}").status_code == 404
