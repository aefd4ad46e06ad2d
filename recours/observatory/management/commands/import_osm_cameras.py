"""Replaces the OpenStreetMap camera layer with an extract.

    manage.py import_osm_cameras cameras.geojson | cameras.osm

Each node goes to the commune it falls in (import places first). Prints how many nodes
were added, updated, removed and left unchanged, and every one it skipped. All or
nothing: on an error, the previous layer stays and the command exits non-zero.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from recours.observatory.cameras import import_cameras
from recours.observatory.geodata import ImportFailed


class Command(BaseCommand):
    help = "Imports OpenStreetMap man_made=surveillance nodes (GeoJSON or OSM XML)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path, **options):
        try:
            report = import_cameras(path)
        except ImportFailed as exc:
            raise CommandError(f"{exc} (the previous layer is unchanged)") from exc
        self.stdout.write(report.summary())
        for problem in report.problems[:50]:
            self.stdout.write(f"  skipped: {problem}")
        if len(report.problems) > 50:
            self.stdout.write(f"  … and {len(report.problems) - 50} more")
