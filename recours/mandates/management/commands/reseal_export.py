from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from recours.core.crypto import public_key_is_valid
from recours.core.keyshares import ShareError, read_share
from recours.mandates.dossier.build import DossierError
from recours.mandates.dossier.rotation import reseal_export


class Command(BaseCommand):
    help = "Offline: re-seals the records of an export from the old key to a new public key."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("export", type=Path)
        parser.add_argument("--old-share", action="append", type=Path, default=[], required=True)
        parser.add_argument("--new-public-key", required=True)
        parser.add_argument("--out", required=True, type=Path)

    def handle(self, *args, export, old_share, new_public_key, out, **options):
        if not public_key_is_valid(new_public_key):
            raise CommandError("--new-public-key is not a campaign public key (32 bytes, base64)")
        try:
            count = reseal_export(
                export_path=export,
                old_shares=[read_share(path) for path in old_share],
                new_public_key=new_public_key,
                out_path=out,
            )
        except (DossierError, ShareError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{count} records re-sealed to the new key in {out}")
