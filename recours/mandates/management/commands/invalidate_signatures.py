from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from recours.campaigns.models import Campaign
from recours.core.ratelimit import network_of
from recours.mandates.domain import (
    email_domain_hash_for,
    invalidate_mandates,
    network_hash_for,
)
from recours.mandates.models import Mandate


def _moment(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"not a date and time: {value!r} (use 2026-11-28T14:00)") from exc
    return moment if moment.tzinfo else timezone.make_aware(moment)


class Command(BaseCommand):
    help = (
        "Strikes out mandates found to be abuse, selected by signing time, e-mail domain or "
        "network, or by the refs of the dossier's review of duplicates (all criteria given "
        "must match). Run with --dry-run first."
    )

    def add_arguments(self, parser):
        parser.add_argument("campaign")
        parser.add_argument("--since", help="signed at or after (ISO date and time)")
        parser.add_argument("--until", help="signed before (ISO date and time)")
        parser.add_argument("--domain", help="e-mail domain, e.g. flood.example")
        parser.add_argument("--network", help="an address or network: 203.0.113.0/24")
        parser.add_argument(
            "--ref",
            action="append",
            type=int,
            default=[],
            help="a mandate's ref, as the dossier's review of duplicates lists it (repeat)",
        )
        parser.add_argument("--by", required=True, help="who decides (recorded)")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, campaign, since, until, domain, network, ref, by, dry_run, **options):
        target = Campaign.objects.filter(slug=campaign).first()
        if target is None:
            raise CommandError(f"no campaign with slug {campaign!r}")
        if not any([since, until, domain, network, ref]):
            raise CommandError(
                "give at least one criterion: --since, --until, --domain, --network, --ref"
            )
        selected = Mandate.objects.filter(campaign=target, status__in=["pending", "confirmed"])
        criteria = {}
        if ref:
            selected = selected.filter(pk__in=ref)
            criteria["refs"] = sorted(ref)
        if since:
            selected = selected.filter(signed_at__gte=_moment(since))
            criteria["since"] = since
        if until:
            selected = selected.filter(signed_at__lt=_moment(until))
            criteria["until"] = until
        if domain:
            selected = selected.filter(email_domain_hash=email_domain_hash_for(target, domain))
            criteria["domain"] = domain
        if network:
            prefix = network_of(network.split("/")[0])
            selected = selected.filter(network_hash=network_hash_for(target, prefix))
            criteria["network"] = prefix
        counts = {
            status: selected.filter(status=status).count() for status in ("pending", "confirmed")
        }
        if dry_run:
            self.stdout.write(
                f"would invalidate {counts['confirmed']} confirmed and {counts['pending']} "
                "pending mandates"
            )
            return
        count = invalidate_mandates(
            campaign=target, mandates=selected, decided_by=by, criteria=criteria
        )
        self.stdout.write(f"{count} mandates invalidated ({counts['confirmed']} were counted)")
