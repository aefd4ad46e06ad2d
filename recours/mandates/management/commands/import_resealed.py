from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from recours.mandates.dossier.build import DossierError
from recours.mandates.dossier.rotation import import_resealed


class Command(BaseCommand):
    help = "On the server: swaps in the records re-sealed offline by reseal_export."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        try:
            count = import_resealed(path=file)
        except DossierError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{count} records now sealed to the campaign's current key")
