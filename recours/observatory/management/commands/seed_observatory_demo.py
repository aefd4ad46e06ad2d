"""Fills the demo's observatory from the extract shipped in the project: every French
place and intercommunalité, the technopolice vendor–city relations, the Paris 2019
authorisations, the OpenStreetMap cameras of France in April 2011 and the communes'
declared camera counts of 2009-2011. Does nothing if places are already there."""

from datetime import date
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand

from recours.observatory.models import Place

DATA = Path(__file__).resolve().parents[2] / "data"
DEMO = DATA / "demo"
# OpenStreetMap data from before the 2012 licence change keeps the licence of its time.
OSM_2011_LICENCE = "© OpenStreetMap contributors, CC BY-SA 2.0 (data of April 2011)"


class Command(BaseCommand):
    help = "Loads the demo observatory from the project's own extract."

    def handle(self, *args, **options):
        if Place.objects.exists():
            self.stdout.write("observatory already filled")
            return
        quiet = {"stdout": _Summary(self.stdout)}
        call_command("import_places", communes=DEMO / "communes.geojson.gz",
                     departements=DEMO / "departements.geojson.gz",
                     regions=DEMO / "regions.geojson.gz", insee=DEMO / "insee", **quiet)  # fmt: skip
        call_command("import_epci", DEMO / "epci.json.gz", **quiet)
        call_command("import_vendor_graph", DEMO / "technopolice-relations.csv", **quiet)
        call_command("import_paris_inventory",
                     annex1=DEMO / "paris-2019-annexe1-prefecture-police.csv",
                     annex2=DEMO / "paris-2019-annexe2-ville-de-paris.csv",
                     geocoded=DEMO / "paris-2019-cameras-geocoded.csv", **quiet)  # fmt: skip
        call_command(
            "import_osm_cameras", DEMO / "osm-surveillance-fr-2011.osm",
            data_date=date(2011, 4, 1), licence=OSM_2011_LICENCE, **quiet,
        )  # fmt: skip
        call_command(
            "import_owni_counts",
            DEMO / "owni-videosurveillance-communes-2011.csv",
            mergers=DEMO / "commune-mergers.csv",
            **quiet,
        )


class _Summary:
    """Passes on each import's summary line, not the list of every row it set aside."""

    def __init__(self, out):
        self.out = out

    def write(self, text="", *args, **kwargs):
        if text and not text.startswith("  "):
            self.out.write(text.rstrip("\n"))

    def flush(self):
        pass
