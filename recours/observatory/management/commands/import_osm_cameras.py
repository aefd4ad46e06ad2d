"""Replaces the OpenStreetMap camera layer with an extract.

    manage.py import_osm_cameras cameras.geojson | cameras.osm
        [--data-date 2011-04-01 --licence "CC BY-SA 2.0 © OpenStreetMap contributors"]

Each node goes to the commune it falls in (import places first). Prints how many nodes
were added, updated, removed and left unchanged, and every one it skipped. All or
nothing: on an error, the previous layer stays and the command exits non-zero.
"""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand

from recours.observatory.cameras import import_cameras
from recours.observatory.management.importing import run_import


class Command(BaseCommand):
    help = (
        "Imports OpenStreetMap man_made=surveillance nodes from an extract: GeoJSON, OSM XML "
        "(.osm) or PBF (.osm.pbf)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--data-date",
            type=date.fromisoformat,
            help="the day an old extract describes (YYYY-MM-DD); shown with the layer",
        )
        parser.add_argument(
            "--licence",
            default="",
            help="the extract's licence and attribution, if not today's ODbL 1.0 "
            "(OpenStreetMap data before September 2012 is CC BY-SA 2.0)",
        )

    def handle(self, *args, path, data_date, licence, **options):
        run_import(
            self,
            lambda: import_cameras(path, data_date=data_date, licence=licence),
            unchanged="the previous layer is unchanged",
        )
