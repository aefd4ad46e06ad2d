"""Imports intercommunalités (EPCI) from INSEE's "Intercommunalité - Métropole" table.

    manage.py import_epci Intercommunalite_Metropole_au_01-01-2024.csv

The sheet "Composition communale" saved as CSV (columns CODGEO, EPCI, LIBEPCI). Import
places first. All or nothing: on an error, nothing changes and the command exits non-zero.
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from recours.observatory.epci import import_epci
from recours.observatory.management.importing import run_import


class Command(BaseCommand):
    help = "Imports intercommunalités (EPCI) and their communes from INSEE's table."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path, **options):
        run_import(self, lambda: import_epci(path))
