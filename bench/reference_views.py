"""The reference the HTTP bench measures Recours against (issue 16): on the same app
server, database and cache, the work a request cannot avoid, and nothing else.

- Reads (the campaign page, count.json, the badge): the same bytes, from memory.
- A signature: parse the same form, normalise it, the keyed hash of the address, seal the
  identity to the campaign key, insert the mandate and its (encrypted) outbox row in one
  transaction, redirect.
- A confirmation: find the token by its hash, spend it, confirm the mandate, add one to
  the counter and append a hash-chained log entry, in one transaction.

Not part of the product: bench/load.py starts it with gunicorn beside Recours, on the
same paths, so that the same wrk scripts drive both.
"""

import hashlib
import hmac
import os
import unicodedata
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from recours.campaigns.models import Campaign, TextVersion
from recours.core.crypto import seal
from recours.core.models import MailContent, OutboxEmail
from recours.mandates.models import LogEntry, Mandate, MandateToken

BYTES = Path(os.environ.get("BENCH_BYTES_DIR", "."))
_memory: dict[str, bytes] = {}
_campaign: dict = {}


def _bytes(name: str) -> bytes:
    if name not in _memory:
        _memory[name] = (BYTES / name).read_bytes()
    return _memory[name]


def _the_campaign() -> dict:
    if not _campaign:
        campaign = Campaign.objects.get(slug="technopolice")
        versions = TextVersion.objects.filter(campaign=campaign).order_by("number")
        _campaign.update(
            pk=campaign.pk,
            public_key=campaign.public_key,
            **{version.kind: version.pk for version in versions},
        )
    return _campaign


def page(request):
    return HttpResponse(_bytes("page"), content_type="text/html; charset=utf-8")


def count(request):
    return HttpResponse(_bytes("count"), content_type="application/json")


def badge(request):
    return HttpResponse(_bytes("badge"), content_type="image/svg+xml")


def _clean(value: str) -> str:
    return unicodedata.normalize("NFC", " ".join(value.split()))


@require_POST
def sign(request):
    campaign = _the_campaign()
    form = request.POST
    identity = {name: _clean(form.get(name, "")) for name in ("given_names", "surname")}
    identity["postal_address"] = _clean(form.get("postal_address", ""))
    email = form.get("email", "").strip().lower()
    identity["email"] = email
    email_hash = hmac.new(settings.PEPPER.encode(), email.encode(), hashlib.sha256).hexdigest()
    now = timezone.now()
    sealed = seal(campaign["public_key"], identity)
    mail = MailContent(to=email, subject="", body_text="", body_html="")
    with transaction.atomic():
        mandate = Mandate.objects.create(
            campaign_id=campaign["pk"], email_hash=email_hash, sealed_identity=sealed,
            complaint_version_id=campaign["complaint"], mandate_version_id=campaign["mandate"],
            language="fr", signed_at=now,
        )  # fmt: skip
        OutboxEmail.objects.create(
            template="confirm", sealed=mail.sealed(), next_attempt_at=now,
            about=f"mandate:{mandate.pk}",
        )  # fmt: skip
    return HttpResponseRedirect("/technopolice/signer/verifiez-vos-mails/")


@require_POST
def confirm(request, token):
    campaign = _the_campaign()
    now = timezone.now()
    digest = hashlib.sha256(token.encode()).hexdigest()
    with transaction.atomic():
        row = (
            MandateToken.objects.select_for_update()
            .filter(token_hash=digest, purpose="confirm", used_at__isnull=True)
            .values_list("pk", "mandate_id")
            .first()
        )
        if row is None:
            return HttpResponse(status=410)
        MandateToken.objects.filter(pk=row[0]).update(used_at=now)
        Mandate.objects.filter(pk=row[1]).update(status="confirmed", confirmed_at=now)
        Campaign.objects.filter(pk=campaign["pk"]).update(confirmed_count=F("confirmed_count") + 1)
        last = (
            LogEntry.objects.filter(campaign_id=campaign["pk"])
            .order_by("-position")
            .values_list("position", "entry_hash")
            .first()
        ) or (-1, "0" * 64)
        entry_hash = hashlib.sha256(f"{last[1]}{row[1]}{now.isoformat()}".encode()).hexdigest()
        LogEntry.objects.create(
            campaign_id=campaign["pk"], position=last[0] + 1, kind="add", commitment=digest,
            created_at=now, previous_hash=last[1], entry_hash=entry_hash,
        )  # fmt: skip
    return HttpResponse(b"ok")


urlpatterns = [
    path("technopolice/", page),
    path("technopolice/count.json", count),
    path("technopolice/badge.svg", badge),
    path("technopolice/signer/", sign),
    path("technopolice/confirmer/<str:token>/", confirm),
]
