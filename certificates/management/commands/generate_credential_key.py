import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certificates.keys import ENV_NAME, key_generate, key_parse


class Command(BaseCommand):
    help = (
        f"Generate the issuer's Ed25519 signing key for {ENV_NAME}: written to FILE (mode "
        "600, refusing to overwrite) or printed. Keep it secret and never commit it: anyone "
        "holding it can issue credentials in this platform's name."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="write the key to this file")

    def handle(self, *args, output=None, **options):
        secret = key_generate()
        key_parse(secret)  # what the settings will read back
        if not output:
            self.stdout.write(secret)
            return
        path = Path(output)
        if path.exists():
            raise CommandError(f"{path} exists: refusing to overwrite a signing key.")
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secret + "\n")
        self.stdout.write(self.style.SUCCESS(f"Key written to {path}; set {ENV_NAME}={path}."))
