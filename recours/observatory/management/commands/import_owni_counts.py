"""Imports the declared camera counts of French communes (OWNI / Bug Brother, 2009-2011).

    manage.py import_owni_counts communes.csv

Columns: insee_com, cameras, comment, source_title_1, source_url_1, source_title_2,
source_url_2 (the file of shared/data/owni-videosurveillance-communes-2011/). Reports
every row it sets aside; changes nothing and exits non-zero when no row can be imported.
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from recours.observatory.management.importing import run_import
from recours.observatory.owni import import_owni_counts


class Command(BaseCommand):
    help = "Imports declared camera counts per commune (OWNI / Bug Brother, 2009-2011)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path, **options):
        run_import(self, lambda: import_owni_counts(path))
