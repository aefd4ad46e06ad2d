"""Imports the 2019 Paris video-protection authorisations (an official inventory).

    manage.py import_paris_inventory --annex1 annexe1.csv --annex2 annexe2.csv \
        [--geocoded cameras-geocoded.csv]

Import places first. Every row it cannot read is listed; a file it cannot read changes
nothing.
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from recours.observatory.inventory import import_paris_inventory
from recours.observatory.management.importing import run_import


class Command(BaseCommand):
    help = "Imports the Paris 2019 camera authorisations as claims with their locations."

    def add_arguments(self, parser):
        parser.add_argument("--annex1", type=Path, required=True)
        parser.add_argument("--annex2", type=Path)
        parser.add_argument("--geocoded", type=Path)

    def handle(self, *args, annex1, annex2, geocoded, **options):
        annexes = {1: annex1} | ({2: annex2} if annex2 else {})
        report = run_import(self, lambda: import_paris_inventory(annexes, geocoded))
        for line in report.notes:
            self.stdout.write(f"  note: {line}")
