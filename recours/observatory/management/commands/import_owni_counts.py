"""Imports the declared camera counts of French communes (OWNI / Bug Brother, 2009-2011).

    manage.py import_owni_counts communes.csv [--mergers commune-mergers.csv]

Columns: insee_com, cameras, comment, source_title_1, source_url_1, source_title_2,
source_url_2 (the file of shared/data/owni-videosurveillance-communes-2011/). A code
merged since 2011 goes to its commune nouvelle; --mergers names a table (old_code,
new_code) for communes merged before the outlines were drawn. Reports
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
        parser.add_argument("--mergers", type=Path, help="CSV of old_code,new_code")

    def handle(self, *args, path, mergers, **options):
        run_import(self, lambda: import_owni_counts(path, mergers=mergers))
