"""Imports vendor–commune leads from technopolice-vendor-graph's relations CSV.

    manage.py import_vendor_graph relations-with-sources.csv

Import places first. Lists every relation it could not place in a commune.
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from recours.observatory.management.importing import run_import
from recours.observatory.vendor_graph import import_vendor_graph


class Command(BaseCommand):
    help = "Imports vendor–commune leads (claims with their sources) from a relation graph."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path, **options):
        run_import(self, lambda: import_vendor_graph(path))
