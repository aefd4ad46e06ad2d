from django.core.management.base import BaseCommand, CommandError

from recours.campaigns.models import Campaign
from recours.mandates.models import Mandate


class Command(BaseCommand):
    help = (
        "Lists the mandates withdrawn since the complaint was filed, so that the organisers "
        "tell the authority. Each is named by its commitment, which the dossier's "
        "mandataires.json lists beside the person (column 'engagement'): the server itself "
        "cannot say who it was."
    )

    def add_arguments(self, parser):
        parser.add_argument("campaign")

    def handle(self, *args, campaign, **options):
        target = Campaign.objects.filter(slug=campaign).first()
        if target is None:
            raise CommandError(f"no campaign with slug {campaign!r}")
        if target.filed_at is None:
            raise CommandError("this campaign has not been filed")
        withdrawals = Mandate.objects.filter(
            campaign=target, withdrawn_at__gte=target.filed_at, confirmed_at__isnull=False
        ).order_by("withdrawn_at")
        self.stdout.write("withdrawn_at_utc,log_position,commitment")
        for mandate in withdrawals:
            self.stdout.write(
                f"{mandate.withdrawn_at.isoformat()},{mandate.log_position},{mandate.commitment}"
            )
