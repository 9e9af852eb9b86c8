from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand

from cms import page_cache
from cms.models import ContentGeneration
from cms.services import site_ensure_home


class Command(BaseCommand):
    help = (
        "After `migrate --noinput`: create the database cache's table (when there is no "
        "Redis), fill the translated page fields, create the home page and each app's fixed "
        "pages, and compute translated URL paths. Idempotent; part of the release step."
    )

    def handle(self, *args, **options):
        # Only caches with the database backend get a table; with Redis this does nothing.
        call_command("createcachetable", verbosity=0)
        call_command("update_translation_fields", verbosity=0)
        site_ensure_home()
        # Apps that own fixed pages (the course catalogue, …) declare `setup_site()`.
        for app_config in apps.get_app_configs():
            setup = getattr(app_config, "setup_site", None)
            if callable(setup):
                setup()
        call_command("set_translation_url_paths", verbosity=0)
        # The fix-ups above write pages behind the ORM's signals; and a flushed database has
        # lost the generation row (without it, page shells are simply not used).
        ContentGeneration.objects.get_or_create(pk=1)
        page_cache.bump_generation()
        self.stdout.write(self.style.SUCCESS("Site structure is in place."))
