import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from recours.core.tests.disks import fill, small_disk

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("processes")]
BASE_DIR = Path(__file__).resolve().parents[3]
QUEUE = """
from django.utils import timezone
from recours.core.models import MailContent, OutboxEmail
for n in range(20):
    content = MailContent(to=f"p{n}@example.org", subject="s", body_text="b", body_html="<p>b</p>")
    OutboxEmail.objects.create(template="t", sealed=content.sealed(), next_attempt_at=timezone.now())
"""


def statuses(database: Path) -> dict[str, int]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        return dict(db.execute("SELECT status, count(*) FROM core_outboxemail GROUP BY status"))


def test_the_mail_worker_waits_out_a_full_disk_then_sends(tmp_path):
    """It used to exit on the OperationalError and wait for an outside restart."""
    with small_disk(tmp_path / "disk", "24m") as disk:
        database = disk / "recours.sqlite3"
        env = {
            "PATH": os.environ["PATH"], "RECOURS_MODE": "demo", "DEBUG": "1",
            "VAR_DIR": str(tmp_path / "var"), "SQLITE_PATH": str(database),
            "EMAIL_URL": "console://",
        }  # fmt: skip
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate"], cwd=BASE_DIR, env=env, check=True, capture_output=True)
        subprocess.run([*manage, "shell", "-c", QUEUE], cwd=BASE_DIR, env=env, check=True)
        with sqlite3.connect(database) as db:  # the next write must grow the WAL
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        filler = fill(disk)
        log = tmp_path / "worker.log"
        with log.open("wb") as errors:
            worker = subprocess.Popen(
                [*manage, "send_emails", "--interval", "0.2"],
                cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=errors,
            )  # fmt: skip
            try:
                time.sleep(3)
                alive_while_full = worker.poll() is None
                queued_while_full = statuses(database)
                filler.unlink()
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline and statuses(database) != {"sent": 20}:
                    time.sleep(0.3)
                after = statuses(database)
            finally:
                worker.terminate()
                worker.wait(timeout=10)

    assert alive_while_full, log.read_text()[-2000:]
    assert queued_while_full == {"queued": 20}
    assert after == {"sent": 20}
    assert "database or disk is full" in log.read_text()
