import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from recours.campaigns.models import Campaign
from recours.core.crypto import fingerprint, generate_keypair
from recours.core.keyshares import ShareError, split_private_key


class Command(BaseCommand):
    help = (
        "Generates a sealing key pair for a campaign and stores only the public key. The "
        "private key is split into --shares files, any --threshold of which rebuild it "
        "(default 2 of 3), or written whole to --private-key-out. Keep them offline, apart. "
        "With --offline (on the key ceremony's offline machine) no database is used: the "
        "public key and its fingerprint are printed, for an organiser to enter in the console."
    )

    def add_arguments(self, parser):
        parser.add_argument("campaign", help="the campaign's slug")
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--shares-dir", type=Path, help="write one share file per holder here")
        where.add_argument("--private-key-out", type=Path, help="write the whole key to this file")
        parser.add_argument("--shares", type=int, default=3, help="number of shares (default 3)")
        parser.add_argument("--threshold", type=int, default=2, help="shares needed (default 2)")
        parser.add_argument(
            "--replace", action="store_true", help="replace a key already set (rotation)"
        )
        parser.add_argument(
            "--offline",
            action="store_true",
            help="use no database: print the public key to enter in the console",
        )

    def handle(
        self,
        *args,
        campaign,
        shares_dir,
        private_key_out,
        shares,
        threshold,
        replace,
        offline,
        **options,
    ):
        if offline:
            public, private = generate_keypair()
            written = self.write_private(
                campaign, public, private, private_key_out, shares_dir, shares, threshold
            )
            self.stdout.write(f"{written} (mode 0600)")
            self.stdout.write(f"public key: {public}")
            self.stdout.write(f"fingerprint: {fingerprint(public)}")
            return
        try:
            target = Campaign.objects.get(slug=campaign)
        except Campaign.DoesNotExist as exc:
            raise CommandError(f"no campaign with slug {campaign!r}") from exc
        if target.public_key and not replace:
            raise CommandError(
                "this campaign already has a key; --replace rotates it (mandates sealed to the "
                "old key then need the old private key)"
            )
        public, private = generate_keypair()
        written = self.write_private(
            campaign, public, private, private_key_out, shares_dir, shares, threshold
        )
        target.public_key = public
        target.save(update_fields=["public_key"])
        self.stdout.write(f"public key stored for {campaign}; {written} (mode 0600)")

    def write_private(
        self, campaign, public, private, private_key_out, shares_dir, count, threshold
    ):
        if private_key_out:
            write_private_key(private_key_out, private)
            return f"private key written to {private_key_out}"
        return self.write_shares(campaign, public, private, shares_dir, count, threshold)

    def write_shares(self, campaign, public, private, shares_dir, count, threshold) -> str:
        try:
            parts = split_private_key(
                private, campaign=campaign, public_key=public, threshold=threshold, count=count
            )
        except ShareError as exc:
            raise CommandError(str(exc)) from exc
        paths = [shares_dir / f"{campaign}-share-{part.index}-of-{count}.json" for part in parts]
        existing = [path for path in paths if path.exists()]
        if existing:
            raise CommandError(f"{existing[0]} exists; choose another folder, nothing was changed")
        for part, path in zip(parts, paths, strict=True):
            write_private_key(path, part.to_json())
        return f"{count} shares written to {shares_dir}, any {threshold} rebuild the key"


def write_private_key(path: Path, private_b64: str) -> None:
    """Creates the file with mode 0600 from the start, and never overwrites one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise CommandError(f"{path} exists; choose another file, nothing was changed") from exc
    with os.fdopen(descriptor, "w") as handle:
        handle.write(private_b64 + "\n")
