from django.core.management.base import BaseCommand

from search.services import index_rebuild
from search.sources import sources


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the live pages and the glossary. Idempotent; publishing "
        "keeps the index up to date, so this is needed only after changes made behind the "
        "application's back (raw SQL, a restored backup)."
    )

    def handle(self, *args, **options):
        written = index_rebuild()
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {written} rows from {', '.join(sorted(sources()))}.")
        )
