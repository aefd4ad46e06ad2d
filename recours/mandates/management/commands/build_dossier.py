from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from recours.core.keyshares import ShareError, read_share
from recours.mandates.dossier.build import DossierError, build_dossier, review_path


class Command(BaseCommand):
    help = (
        "On the offline machine: opens an export with the key shares and writes the dossier "
        "(complaint PDF, list of mandators as PDF, CSV and JSON, manifest). No database used."
    )
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("export", type=Path, help="the file written by export_sealed")
        parser.add_argument(
            "--share",
            action="append",
            type=Path,
            default=[],
            required=True,
            help="a key share file (repeat for each holder present)",
        )
        parser.add_argument("--out", required=True, type=Path, help="a new directory")
        parser.add_argument(
            "--per-signer", action="store_true", help="also write one PDF mandate per signer"
        )

    def handle(self, *args, export, share, out, per_signer, **options):
        try:
            shares = [read_share(path) for path in share]
            manifest = build_dossier(
                export_path=export, shares=shares, out_dir=out, per_signer=per_signer
            )
        except (DossierError, ShareError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"dossier written to {out}: {manifest['mandates']} mandates, "
            f"Merkle root {manifest['merkle_root']}"
        )
        review = review_path(out)
        if review.exists():
            self.stdout.write(
                f"likely duplicates involving paper mandates are listed in {review}: check "
                "them against the paper forms; if one person signed twice, invalidate one "
                "mandate on the server (by its ref), export and build again. That file is not "
                "part of the dossier."
            )
