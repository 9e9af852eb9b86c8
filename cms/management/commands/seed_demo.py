import os

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from cms.demo import demo_seed_accounts


class Command(BaseCommand):
    help = (
        "Load the demo: organisations, the users admin, trainer, manager, investigator and a "
        "second learner (password from DEMO_PASSWORD), and each app's demo content. Idempotent. "
        "Refuses to run with production settings."
    )

    def handle(self, *args, **options):
        if settings.TADRIB_ENVIRONMENT == "production":
            raise CommandError(
                "seed_demo refuses to run with production settings: demo accounts have a "
                "published password."
            )
        call_command("setup_site", verbosity=0)
        password = os.environ.get("DEMO_PASSWORD") or settings.DEMO_PASSWORD_DEFAULT
        demo_seed_accounts(password=password)
        for app_config in apps.get_app_configs():
            seed = getattr(app_config, "seed_demo", None)
            if callable(seed):
                seed()
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
