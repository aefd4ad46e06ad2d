from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from recours.campaigns.models import Campaign
from recours.mandates.dossier.export import write_sealed_export


class Command(BaseCommand):
    help = (
        "Writes a campaign's sealed mandates, evidence and texts to one file for the offline "
        "dossier step. The file holds no secret: the records can only be opened offline."
    )

    def add_arguments(self, parser):
        parser.add_argument("campaign", help="the campaign's slug")
        parser.add_argument("--out", required=True, type=Path)

    def handle(self, *args, campaign, out, **options):
        try:
            target = Campaign.objects.select_related("organisation").get(slug=campaign)
        except Campaign.DoesNotExist as exc:
            raise CommandError(f"no campaign with slug {campaign!r}") from exc
        if out.exists():
            raise CommandError(f"{out} exists; choose another file, nothing was written")
        count = write_sealed_export(campaign=target, path=out)
        self.stdout.write(f"{count} confirmed mandates exported to {out}")
