"""Imports claims (with evidence) or funding from a CSV file (comma or semicolon).

    manage.py import_table claims claims.csv
    manage.py import_table funding funding.csv

Columns: those of ClaimRow and FundingRow in recours/observatory/tables.py; places by
INSEE code. Imports the rows that pass, reports every other with its line and reason,
and exits non-zero, changing nothing, when no row passes.
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from recours.observatory.management.importing import run_import
from recours.observatory.tables import import_claims, import_funding

IMPORTERS = {"claims": import_claims, "funding": import_funding}


class Command(BaseCommand):
    help = "Imports claims or funding from CSV, with a report of every rejected row."

    def add_arguments(self, parser):
        parser.add_argument("table", choices=sorted(IMPORTERS))
        parser.add_argument("path", type=Path)

    def handle(self, *args, table, path, **options):
        run_import(self, lambda: IMPORTERS[table](path))
