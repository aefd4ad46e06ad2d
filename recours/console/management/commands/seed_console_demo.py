from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from recours.campaigns.demo import technopolice as demo
from recours.campaigns.models import Campaign
from recours.console.models import Membership, Role

# Demo only: `make demo` prints them. A real instance's accounts come from invitations.
ACCOUNTS = {"organisatrice": Role.ORGANISER, "moderateur": Role.MODERATOR}
PASSWORD = "demo-recours-console"  # noqa: S105 - printed by make demo, demo mode only


class Command(BaseCommand):
    help = (
        "Demo only (RECOURS_MODE=demo): an organiser and a moderator of the demo campaign's "
        "organisation; each enrols a passkey or an authenticator app at first sign-in."
    )

    def handle(self, *args, **options):
        if settings.MODE != "demo":
            raise CommandError("seed_console_demo runs only with RECOURS_MODE=demo")
        campaign = Campaign.objects.filter(slug=demo.SLUG).select_related("organisation").first()
        if campaign is None:
            raise CommandError("load the demo campaign first (seed_demo)")
        lines = []
        with transaction.atomic():
            for username, role in ACCOUNTS.items():
                user, created = User.objects.get_or_create(
                    username=username, defaults={"email": f"{username}@demo.invalid"}
                )
                if created:
                    user.set_password(PASSWORD)
                    user.save()
                Membership.objects.get_or_create(
                    user=user, organisation=campaign.organisation, defaults={"role": role}
                )
                lines.append(f"  {username} / {PASSWORD}")
        self.stdout.write(
            f"Console demo accounts (http://127.0.0.1:{settings.PORT}/console/; a passkey or "
            "an authenticator app is set up at first sign-in):"
        )
        self.stdout.write("\n".join(lines))
