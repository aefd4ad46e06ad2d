"""A consistent copy of the database while the site runs.

SQLite: the online backup API (a file copy taken during a write can be torn). PostgreSQL:
pg_dump in its custom format, one consistent snapshot (restore with pg_restore). The copy
holds what the database holds, and so names no signer: identities are sealed to the
campaign's offline key, mails and leads' contacts encrypted with DATA_KEY, which is not in
it. Keep DATA_KEY, PEPPER and SECRET_KEY apart from the backups."""

import os
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = "Writes a consistent copy of the database to --out (SQLite file, or pg_dump -Fc)."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, type=Path)

    def handle(self, *args, out: Path, **options):
        if out.exists():
            raise CommandError(f"{out} exists; choose another file, nothing was written")
        settings_dict = connection.settings_dict
        if connection.vendor == "sqlite":
            source = sqlite3.connect(settings_dict["NAME"])
            target = sqlite3.connect(out)
            try:
                with target:
                    source.backup(target)
            finally:
                source.close()
                target.close()
        elif connection.vendor == "postgresql":
            env = os.environ | {"PGPASSWORD": settings_dict.get("PASSWORD") or ""}
            command = ["pg_dump", "--format=custom", "--file", str(out),
                       "--host", settings_dict.get("HOST") or "localhost",
                       "--port", str(settings_dict.get("PORT") or 5432),
                       "--username", settings_dict.get("USER") or "postgres",
                       settings_dict["NAME"]]  # fmt: skip
            # The arguments come from our own settings, passed as a list: no shell.
            done = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
            if done.returncode:
                out.unlink(missing_ok=True)
                raise CommandError(f"pg_dump failed: {done.stderr.strip()[:500]}")
        else:
            raise CommandError(f"no backup for {connection.vendor}")
        out.chmod(0o600)
        self.stdout.write(f"backup written to {out} ({out.stat().st_size:,} bytes)")
