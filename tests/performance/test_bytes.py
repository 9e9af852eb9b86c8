"""Bytes and round trips (docs/page-weight.md): what can be held without a stopwatch.

- no link the interface renders on the main learner pages answers with a redirect (each
  costs a round trip: 400 ms and more on the links learners have), in three languages;
- each learner page's HTML, gzip-compressed as served, fits the first round trip (14 KB);
- static files are served under hashed names, compressed, cached for a year, with the
  storage production and `make run` use; the Arabic font is looked for on the device first.

Figures measured in Chromium on an emulated slow link are in bench/README.md (bench/weight.py).
"""

import gzip
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import translation

LANGUAGES = ("en", "fr", "ar")
HTML_BUDGET = 14 * 1024
ROOT = Path(settings.BASE_DIR)


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.stylesheets: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.stylesheets.append(attrs["href"])


def parse(response) -> Links:
    links = Links()
    links.feed(response.content.decode())
    return links


def internal(href: str) -> str | None:
    """The path (and query) of a link to this site that a GET follows, else None."""
    parts = urlsplit(href)
    if parts.scheme in ("mailto", "tel") or (parts.netloc and parts.netloc != "testserver"):
        return None
    if not parts.path or parts.path.startswith(("/static/", "/media/")):
        return None  # a fragment on the same page, or a file
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture
def demo(site):
    """What a newcomer's `make run` shows: the demo courses, quizzes, glossary and accounts."""
    call_command("seed_demo", verbosity=0)


def learner_client(language: str) -> Client:
    from cms.models import User

    client = Client(HTTP_HOST="testserver")
    user = User.objects.get(username="investigator")
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    client.force_login(user)
    return client


def main_pages(client, language: str) -> list[str]:
    """The pages a learner moves between: home, every header link, a course, its lesson and
    quiz, a search, the glossary."""
    from courses.models import CoursePage, ModulePage
    from quizzes.models import QuizPage

    with translation.override(language):
        home = f"/{language}/"
        header = [internal(h) for h in parse(client.get(home)).hrefs]
        course = CoursePage.objects.live().order_by("path").first()
        module = ModulePage.objects.live().child_of(course).order_by("path").first()
        quiz = QuizPage.objects.live().descendant_of(course).order_by("path").first()
        pages = [home, *[h for h in header if h], course.url, module.url]
        if quiz is not None:
            pages.append(quiz.url)
    return list(dict.fromkeys(pages))


def test_learner_pages_link_without_redirects_and_fit_the_first_round_trip(demo):
    """In each language, on the demo a newcomer sees (one seed for every check: it is slow):

    - every link on the main learner pages answers without a redirect;
    - each page's HTML as served (gzip, as GZipMiddleware answers a browser) is ≤ 14 KB, what
      a server sends before the first acknowledgement (TCP's initial window, 10 segments);
    - the header's Courses link is the catalogue page itself, not the stable name that
      redirects to it (`courses:catalogue`, kept for links from outside)."""
    from courses.models import CourseIndexPage

    catalogue = CourseIndexPage.objects.live().get()
    for language in LANGUAGES:
        client = learner_client(language)
        pages = main_pages(client, language)
        assert len(pages) >= 6, pages
        checked: dict[str, int] = {}
        sizes: dict[str, int] = {}
        for page in pages:
            response = client.get(page, HTTP_ACCEPT_ENCODING="gzip")
            assert response.status_code == 200, (page, response.status_code)
            assert response.get("Content-Encoding") == "gzip", page
            sizes[page] = len(response.content)
            html = gzip.decompress(response.content).decode()
            links = Links()
            links.feed(html)
            for href in links.hrefs:
                target = internal(href)
                if target is None or target in checked:
                    continue
                checked[target] = client.get(target).status_code
            if page == f"/{language}/":
                with translation.override(language):
                    assert catalogue.url in links.hrefs
                assert f"/{language}/learning/courses/" not in links.hrefs
        redirects = {url: code for url, code in checked.items() if 300 <= code < 400}
        assert not redirects, f"{language}: links that redirect (from {pages}): {redirects}"
        assert len(checked) >= 15, checked  # the crawl really followed the pages' links
        over = {page: size for page, size in sizes.items() if size > HTML_BUDGET}
        assert not over, f"{language}: HTML over 14 KB compressed: {over}"


def test_the_header_follows_a_renamed_catalogue_at_once(site, learner):
    """The header's addresses are kept per content generation: a new slug shows at once."""
    from courses.models import CourseIndexPage

    learner.preferred_language = "fr"
    learner.save(update_fields=["preferred_language"])
    client = Client(HTTP_HOST="testserver")
    client.force_login(learner)
    assert "/fr/cours/" in parse(client.get("/fr/")).hrefs
    catalogue = CourseIndexPage.objects.live().get()
    catalogue.slug_fr = "formations"
    catalogue.save_revision().publish()
    hrefs = parse(client.get("/fr/")).hrefs
    assert "/fr/formations/" in hrefs and "/fr/cours/" not in hrefs
    assert client.get("/fr/formations/").status_code == 200


def test_the_arabic_font_is_looked_for_on_the_device_before_it_is_downloaded():
    css = (ROOT / "static/css/tadrib.css").read_text(encoding="utf-8")
    faces = re.findall(r"@font-face\s*{(.*?)}", css, flags=re.S)
    assert faces
    for face in faces:
        src = re.search(r"src:\s*(.*?);", face, flags=re.S).group(1)
        sources = [s.strip() for s in re.split(r",\s*(?=local|url)", src)]
        first_url = next(i for i, s in enumerate(sources) if s.startswith("url("))
        assert first_url > 0 and all(s.startswith("local(") for s in sources[:first_url])
        assert 'local("Noto Naskh Arabic")' in sources and 'local("Amiri")' in sources
        assert "unicode-range" in face  # fetched only for Arabic text


def test_the_committed_font_is_the_scripts_subset_and_small():
    font = ROOT / "static/fonts/noto-naskh-arabic-400.woff2"
    assert font.read_bytes()[:4] == b"wOF2"
    assert font.stat().st_size <= 16 * 1024
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "subset_arabic_font", ROOT / "scripts/subset_arabic_font.py"
    )
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    if not script.SOURCE.exists():
        pytest.skip("fonts-noto-core is not installed: cannot rebuild the subset")
    assert script.build(script.SOURCE) == font.read_bytes()


# --- static files as production and `make run` serve them ---------------------------------


def test_every_serving_setting_uses_the_hashed_compressed_storage():
    """Production and `make run` (dev settings) serve static files alike; only the test
    settings, which never collect, use plain names."""
    from importlib import import_module

    dev = import_module("cms.settings.dev")
    for module in (import_module("cms.settings.base"), dev):
        backend = module.STORAGES["staticfiles"]["BACKEND"]
        assert backend == "cms.static_files.HashedStaticFilesStorage", module.__name__
        assert "cms.static_files.StaticFilesMiddleware" in module.MIDDLEWARE
    production = (ROOT / "cms/settings/production.py").read_text(encoding="utf-8")
    assert "STORAGES" not in production and "WHITENOISE_MAX_AGE = 31_536_000" in production
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^run: .*\bstatic\b", makefile, flags=re.M)
    assert re.search(
        r"^staticfiles/staticfiles\.json:.*\n(\t.*\n)*\t.*collectstatic", makefile, flags=re.M
    )


@pytest.fixture
def collected(tmp_path, settings):
    """The project's own static files collected as `make run` and production do (Wagtail's
    are left out: the same storage, a fraction of the time)."""
    settings.STATIC_ROOT = tmp_path
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "cms.static_files.HashedStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    call_command("collectstatic", "--noinput", verbosity=0)
    return tmp_path


@pytest.mark.parametrize("debug", [False, True], ids=["production", "make-run"])
def test_static_files_are_hashed_compressed_and_cached_for_a_year(
    collected, settings, site, learner, debug
):
    settings.DEBUG = debug
    settings.WHITENOISE_AUTOREFRESH = debug  # as cms.settings.dev
    client = Client(HTTP_HOST="testserver")
    client.force_login(learner)
    page = client.get("/ar/")
    assert page.status_code == 200
    (stylesheet,) = parse(page).stylesheets
    assert re.fullmatch(r"/static/css/tadrib\.[0-9a-f]{12}\.css", stylesheet), stylesheet
    for encoding in ("br", "gzip"):
        response = client.get(stylesheet, HTTP_ACCEPT_ENCODING=f"{encoding}")
        assert response.status_code == 200
        assert response["Content-Encoding"] == encoding
        assert response["Cache-Control"] == "max-age=31536000, public, immutable"
        assert int(response["Content-Length"]) < 5 * 1024
    css = b"".join(client.get(stylesheet).streaming_content).decode()
    font = re.search(r'url\("([^"]+\.woff2)"\)', css).group(1)
    assert re.fullmatch(r"\.\./fonts/noto-naskh-arabic-400\.[0-9a-f]{12}\.woff2", font), font
    response = client.get("/static/fonts/" + font.rsplit("/", 1)[1])
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=31536000, public, immutable"
    assert response["Content-Type"] == "font/woff2"


@override_settings(DEBUG=True)
def test_make_run_without_collected_files_still_serves_plain_names(tmp_path, settings):
    """A checkout that never ran collectstatic (runserver by hand) still gets its CSS."""
    settings.STATIC_ROOT = tmp_path  # empty: no manifest
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "cms.static_files.HashedStaticFilesStorage"},
    }
    from django.contrib.staticfiles.storage import staticfiles_storage

    assert staticfiles_storage.url("css/tadrib.css") == "/static/css/tadrib.css"
