"""Imports communes, départements and régions with their outlines and INSEE attributes.

    manage.py import_places --communes communes-2018-simplified.geojson \\
        [--departements departements.geojson] [--regions regions.geojson] [--insee DIR]

DIR holds INSEE's communes.csv and departements.csv (see the observatory's data notes).
All or nothing: on an error, nothing changes and the command exits non-zero.
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from recours.observatory.management.importing import run_import
from recours.observatory.places import import_places


class Command(BaseCommand):
    help = "Imports places (communes, départements, régions) from GeoJSON and INSEE CSV."

    def add_arguments(self, parser):
        parser.add_argument("--communes", type=Path, required=True)
        parser.add_argument("--departements", type=Path)
        parser.add_argument("--regions", type=Path)
        parser.add_argument("--insee", type=Path, help="folder with communes.csv, departements.csv")

    def handle(self, *args, communes, departements, regions, insee, **options):
        run_import(self, lambda: import_places(
            communes=communes, departements=departements, regions=regions, insee=insee
        ))  # fmt: skip
