from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Compile every locale/*/LC_MESSAGES/*.po into .mo with polib, so setup works "
        "without GNU gettext. polib keeps each catalogue's plural forms (Arabic has six)."
    )

    def handle(self, *args, **options):
        compiled = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                try:
                    catalogue = polib.pofile(str(po_path))
                except OSError as error:
                    raise CommandError(f"{po_path}: {error}") from error
                catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
                compiled += 1
                if options["verbosity"] > 0:
                    self.stdout.write(f"compiled {po_path}")
        if not compiled:
            raise CommandError("No .po catalogues found under LOCALE_PATHS.")
