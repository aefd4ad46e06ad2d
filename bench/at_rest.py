"""What keeping signers' data unreadable at rest costs on the sign path, in process.

    .venv/bin/python bench/at_rest.py      # BENCH_SIGNATURES=1500 BENCH_ROUNDS=3

On a SQLite file (WAL, synchronous=FULL, as in production), times the sign path
(`sign_mandate`: seal, keyed hash, mandate, tokens and the encrypted mail, one
transaction) and the mail worker's send-and-wipe (decrypt, hand to a local-memory
backend, wipe), with SQLite's `secure_delete` on (the product's setting) and off,
alternating rounds; and the encryption of one mail alone. Prints a table; writes JSON
under var/bench/.
"""

import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="recours-bench-at-rest-"))
os.environ.update(
    {"RECOURS_MODE": "demo", "DEBUG": "1", "VAR_DIR": str(WORK), "EMAIL_URL": "console://"}
)
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recours.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from recours.campaigns.domain import published_texts  # noqa: E402
from recours.campaigns.models import Organisation  # noqa: E402
from recours.core.crypto import generate_keypair  # noqa: E402
from recours.core.mail import send_due_emails  # noqa: E402
from recours.core.models import MailContent  # noqa: E402
from recours.mandates import domain  # noqa: E402
from recours.mandates.identity import SignerIdentity  # noqa: E402
from recours.testing import make_campaign  # noqa: E402

SIGNATURES = int(os.environ.get("BENCH_SIGNATURES", "1500"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))


def campaign():
    organisation = Organisation.objects.create(
        name="Bench", registration_number="W0", registered_office="Paris",
        statutory_object="Bench", contact_email="bench@example.org",
    )  # fmt: skip
    return make_campaign(organisation, generate_keypair()[0], slug="bench")


def sign_many(target, round_number: int) -> float:
    texts = published_texts(target)
    started = time.perf_counter()
    for index in range(SIGNATURES):
        identity = SignerIdentity(
            given_names="Ysolde", surname=f"Quenneville{round_number}x{index}",
            email=f"s{round_number}x{index}@example.org", postal_address="1 rue Haute\nParis",
        )  # fmt: skip
        domain.sign_mandate(campaign=target, identity=identity, texts=texts, language="fr")
    return (time.perf_counter() - started) / SIGNATURES * 1000


def send_all() -> float:
    started = time.perf_counter()
    sent = 0
    while counts := send_due_emails(limit=100):
        if not counts["sent"]:
            break
        sent += counts["sent"]
    return (time.perf_counter() - started) / max(sent, 1) * 1000


def encryption_ms() -> float:
    content = MailContent(
        to="ysolde.quenneville@example.org", subject="Confirmez votre mandat : Technopolice",
        body_text="Bonjour,\n" + "x" * 1500, body_html="<p>Bonjour,</p>" + "x" * 3000,
    )  # fmt: skip
    started = time.perf_counter()
    for _ in range(2000):
        MailContent.opened(content.sealed())
    return (time.perf_counter() - started) / 2000 * 1000


def main():
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("migrate", "--no-input", verbosity=0)
    target = campaign()
    results = {"secure_delete=ON": {"sign": [], "send": []},
               "secure_delete=OFF": {"sign": [], "send": []}}  # fmt: skip
    round_number = 0
    for _ in range(ROUNDS):
        for mode in results:
            round_number += 1
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA {mode.replace('=', ' = ')}")
            results[mode]["sign"].append(sign_many(target, round_number))
            results[mode]["send"].append(send_all())
    report = {
        mode: {step: round(statistics.median(values), 3) for step, values in steps.items()}
        for mode, steps in results.items()
    }
    report["encrypt and decrypt one mail (ms)"] = round(encryption_ms(), 4)
    print(f"\nAt rest, SQLite file, in process: {SIGNATURES:,} signatures a round, {ROUNDS} rounds")
    print(f"{'setting':<20} {'sign ms':>9} {'send+wipe ms':>13}")
    for mode in results:
        print(f"{mode:<20} {report[mode]['sign']:>9} {report[mode]['send']:>13}")
    on, off = report["secure_delete=ON"], report["secure_delete=OFF"]
    print(f"secure_delete costs {100 * (on['sign'] / off['sign'] - 1):+.1f} % on a signature, "
          f"{100 * (on['send'] / off['send'] - 1):+.1f} % on a sent mail")  # fmt: skip
    print(f"encrypting and decrypting one mail: {report['encrypt and decrypt one mail (ms)']} ms")
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "at_rest.json").write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
