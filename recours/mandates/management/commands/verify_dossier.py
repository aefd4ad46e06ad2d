from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from recours.core.crypto import sha256_file
from recours.mandates.dossier.build import MANIFEST
from recours.mandates.dossier.verify import verify_dossier


class Command(BaseCommand):
    help = "Checks every file of a dossier against its manifest, and the Merkle root."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory, **options):
        problems = verify_dossier(directory)
        if problems:
            raise CommandError(
                "the dossier does not match its manifest:\n  " + "\n  ".join(problems)
            )
        self.stdout.write(f"dossier intact; manifest SHA-256 {sha256_file(directory / MANIFEST)}")
