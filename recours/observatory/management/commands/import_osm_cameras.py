"""Replaces the OpenStreetMap camera layer with an extract.

    manage.py import_osm_cameras cameras.geojson | cameras.osm

Each node goes to the commune it falls in (import places first). Prints how many nodes
were added, updated, removed and left unchanged, and every one it skipped. All or
nothing: on an error, the previous layer stays and the command exits non-zero.
"""

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

    def handle(self, *args, path, **options):
        run_import(self, lambda: import_cameras(path), unchanged="the previous layer is unchanged")
