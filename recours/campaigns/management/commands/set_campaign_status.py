from django.core.management.base import BaseCommand, CommandError

from recours.campaigns.domain import StatusError, change_campaign_status
from recours.campaigns.models import Campaign


class Command(BaseCommand):
    help = "Moves a campaign to its next status: open, closed, filed, case_closed."

    def add_arguments(self, parser):
        parser.add_argument("campaign")
        parser.add_argument("status", choices=[s.value for s in Campaign.Status])
        parser.add_argument("--by", required=True, help="who decides (recorded)")

    def handle(self, *args, campaign, status, by, **options):
        target = Campaign.objects.filter(slug=campaign).first()
        if target is None:
            raise CommandError(f"no campaign with slug {campaign!r}")
        try:
            change_campaign_status(campaign=target, to=status, by=by)
        except StatusError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{campaign} is now {status}")
