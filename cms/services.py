"""Writes for the site shell: user preferences, password-reset mail, the site's structure."""

import logging
import smtplib

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import translation
from wagtail.models import Locale, Page, Site
from wagtail.users.models import UserProfile

from .audit import audit
from .emails import password_reset_email_send
from .models import HomePage, User
from .roles import role_groups_ensure
from .time_zones import is_time_zone

logger = logging.getLogger(__name__)

HOME_CONTENT = {
    "title": {"en": "Tadrib", "fr": "Tadrib", "ar": "تدريب"},
    "intro": {
        "en": "Self-paced training for the investigators, prosecutors and judges who counter "
        "the use of the Internet for terrorist purposes.",
        "fr": "Une formation à votre rythme pour les enquêteurs, procureurs et juges qui "
        "luttent contre l'utilisation d'Internet à des fins terroristes.",
        "ar": "تدريب ذاتي الإيقاع للمحققين وأعضاء النيابة العامة والقضاة الذين يتصدّون "
        "لاستخدام الإنترنت لأغراض إرهابية.",
    },
    "body": {
        "en": "<p>Tadrib offers courses on special investigation techniques, foreign terrorist "
        "fighters and obtaining electronic evidence across borders, in Arabic, French and "
        "English. Work through each module at your own pace, test yourself with quizzes and "
        "follow your progress.</p><p>Access is reserved for vetted criminal-justice officers: "
        "your agency's administrator provides your account.</p>",
        "fr": "<p>Tadrib propose des cours sur les techniques spéciales d'enquête, les "
        "combattants terroristes étrangers et l'obtention de preuves électroniques à "
        "l'étranger, en arabe, en français et en anglais. Avancez dans chaque module à votre "
        "rythme, évaluez-vous grâce aux quiz et suivez votre progression.</p><p>L'accès est "
        "réservé aux agents de la justice pénale habilités : l'administrateur de votre "
        "service vous fournit votre compte.</p>",
        "ar": "<p>تقدّم منصة تدريب دورات تدريبية في أساليب التحري الخاصة، والمقاتلين "
        "الإرهابيين الأجانب، والحصول على الأدلة الإلكترونية عبر الحدود، باللغات العربية "
        "والفرنسية والإنجليزية. تقدّم في كل وحدة وفق إيقاعك الخاص، واختبر معارفك من خلال "
        "الاختبارات، وتابع تقدّمك.</p><p>الدخول مقصور على موظفي العدالة الجنائية المعتمدين: "
        "يزوّدك مسؤول الإدارة في جهتك بحسابك.</p>",
    },
}


def user_set_time_zone(*, user: User, time_zone: str) -> User:
    """Set the zone `user` reads times in (an IANA name; empty: each page's default)."""
    if time_zone and not is_time_zone(time_zone):
        raise ValueError(f"Unknown time zone: {time_zone!r}")
    user.time_zone = time_zone
    user.save(update_fields=["time_zone"])
    return user


def user_set_preferred_language(*, user: User, language: str) -> User:
    """Set the language the site and the Wagtail admin open in for `user`."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"Unsupported language: {language!r}")
    with transaction.atomic():
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = language
        profile.save(update_fields=["preferred_language"])
    return user


def password_reset_links_send(*, users: list[User], base_url: str) -> int:
    """Mail each of `users` a link to choose a new password; return how many were sent.

    A mail that cannot be sent is logged, not raised: the person asking gets the same answer
    either way, since "not sent" would tell them the account exists.
    """
    if not users:
        audit("password_reset_unknown")
    sent = 0
    for user in users:
        try:
            password_reset_email_send(user_id=user.pk, base_url=base_url)
        except (smtplib.SMTPException, OSError):
            logger.exception("Could not send the password reset mail to user %s", user.pk)
            continue
        audit("password_reset_sent", obj=user)
        sent += 1
    return sent


def site_ensure_home() -> HomePage:
    # Untranslated field names (`title`, `slug`) write the active language's column.
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        return _site_ensure_home()


def _root_create() -> Page:
    root = Page()
    root.title_en = root.title = "Root"
    root.slug_en = root.slug = "root"
    return Page.add_root(instance=root)


def _site_ensure_home() -> HomePage:
    """Make the role groups and the trilingual HomePage, root of the default Site. Idempotent.

    Wagtail's first migration leaves a placeholder "Welcome" page; it is replaced once.
    """
    role_groups_ensure(Group, Permission)
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node() or _root_create()
        # Refreshed because modeltranslation's slug fields may have changed under it.
        root.refresh_from_db()
        home = HomePage(slug="home", slug_en="home", slug_fr="accueil", slug_ar="home")
        for field, values in HOME_CONTENT.items():
            for language, value in values.items():
                setattr(home, f"{field}_{language}", value)
        home.title = HOME_CONTENT["title"]["en"]
        # Deleting the placeholder also deletes the Site that pointed at it.
        Page.objects.filter(depth=2).exclude(content_type__model="homepage").delete()
        root.refresh_from_db()
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Tadrib"
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save(update_fields=["root_page"])
    return home
