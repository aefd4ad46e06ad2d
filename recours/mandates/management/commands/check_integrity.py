"""After a restore (or any time): for each campaign, the transparency log's hash chain is
whole, its stored Merkle tree gives the root that hashing every entry gives, and the
public counter equals both the log and the mandates. Exits 1 on any difference."""

import sys

from django.core.management.base import BaseCommand

from recours.campaigns.models import Campaign
from recours.core.merkle import leaf_hash, root_from_leaf_hashes
from recours.mandates.domain import recount_confirmed
from recours.mandates.log_tree import StoredTree
from recours.mandates.models import LogEntry
from recours.mandates.transparency import verify_chain


def problems_of(campaign: Campaign) -> list[str]:
    entries = list(LogEntry.objects.filter(campaign=campaign).order_by("position"))
    problems = verify_chain(entries)
    leaves = [leaf_hash(bytes.fromhex(entry.entry_hash)) for entry in entries]
    try:
        stored = StoredTree(campaign.pk, len(entries)).root()
    except LookupError as exc:
        problems.append(f"the stored tree is incomplete ({exc})")
    else:
        if stored != root_from_leaf_hashes(leaves):
            problems.append("the stored tree's root differs from the entries' root")
    removals = sum(1 for entry in entries if entry.kind == LogEntry.Kind.REMOVE)
    logged = len(entries) - 2 * removals
    counted = recount_confirmed(campaign)
    if not campaign.confirmed_count == logged == counted:
        problems.append(
            f"counter {campaign.confirmed_count}, log {logged}, confirmed mandates {counted}"
        )
    return problems


class Command(BaseCommand):
    help = "Checks each campaign's log chain, Merkle root and counter; exit code 1 on a problem."

    def handle(self, *args, **options):
        failed = False
        for campaign in Campaign.objects.order_by("slug"):
            problems = problems_of(campaign)
            failed = failed or bool(problems)
            verdict = "; ".join(problems) if problems else "chain, root and counter agree"
            self.stdout.write(f"{'ok ' if not problems else 'NOT'} {campaign.slug}: {verdict}")
        if failed:
            sys.exit(1)
