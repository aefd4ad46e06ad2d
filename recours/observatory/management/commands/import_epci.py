"""Imports intercommunalités (EPCI) from INSEE's "Intercommunalité - Métropole" table.

    manage.py import_epci Intercommunalite_Metropole_au_01-01-2024.csv

The sheet "Composition communale" saved as CSV (columns CODGEO, EPCI, LIBEPCI). Import
places first. All or nothing: on an error, nothing changes and the command exits non-zero.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from recours.observatory.epci import import_epci
from recours.observatory.geodata import ImportFailed


class Command(BaseCommand):
    help = "Imports intercommunalités (EPCI) and their communes from INSEE's table."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path, **options):
        try:
            report = import_epci(path)
        except ImportFailed as exc:
            raise CommandError(f"{exc} (nothing was changed)") from exc
        self.stdout.write(report.summary())
        for problem in report.problems:
            self.stdout.write(f"  skipped: {problem}")
