from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from recours.campaigns import domain as campaign_domain
from recours.campaigns.demo import technopolice as demo
from recours.campaigns.management.commands.create_campaign_keys import write_private_key
from recours.campaigns.models import Campaign, Ground, Organisation, Source
from recours.core.crypto import generate_keypair, key_id, seal, sha256_hex
from recours.mandates.domain import email_hash_for, evidence_digest, recount_confirmed
from recours.mandates.models import Mandate
from recours.mandates.transparency import record_confirmation


class Command(BaseCommand):
    help = "Loads the demo campaign (the 2022 Technopolice complaint); does nothing if present."

    def handle(self, *args, **options):
        if Campaign.objects.filter(slug=demo.SLUG).exists():
            self.stdout.write(f"demo campaign {demo.SLUG!r} already present")
            return
        key_path = Path(settings.VAR_DIR) / "demo-keys" / f"{demo.SLUG}.key"
        if key_path.exists():
            key_path.unlink()  # left by an earlier demo database that has since been removed
        public, private = generate_keypair()
        write_private_key(key_path, private)
        with transaction.atomic():
            campaign = create_demo_campaign(public)
            add_demo_mandates(campaign)
        self.stdout.write(
            f"demo campaign {demo.SLUG!r} loaded with {campaign.confirmed_count} confirmed "
            f"mandates; its private key is in {key_path}"
        )


def create_demo_campaign(public_key: str) -> Campaign:
    now = timezone.now()
    campaign = Campaign.objects.create(
        slug=demo.SLUG,
        status=Campaign.Status.OPEN,
        organisation=Organisation.objects.create(**demo.ORGANISATION),
        opens_at=now - timedelta(days=30),
        closes_at=now + timedelta(days=4, hours=12),
        public_key=public_key,
        **demo.CAMPAIGN,
    )
    for position, ground in enumerate(demo.GROUNDS):
        row = Ground.objects.create(
            campaign=campaign, position=position, title=ground["title"], text=ground["text"]
        )
        for source_position, source in enumerate(ground["sources"]):
            Source.objects.create(
                ground=row,
                position=source_position,
                title=source["title"],
                publisher=source["publisher"],
                date=date.fromisoformat(source["date"]),
                url=source["url"],
            )
    campaign_domain.publish_text_versions(campaign=campaign)
    return campaign


def add_demo_mandates(campaign: Campaign) -> None:
    texts = campaign_domain.published_texts(campaign)
    now = timezone.now()
    for index, (given_names, surname) in enumerate(demo.DEMO_SIGNERS):
        email = f"{given_names}.{surname}.{index}@demo.invalid".lower()
        signed_at = now - timedelta(days=20) + timedelta(hours=13 * index)
        mandate = Mandate.objects.create(
            campaign=campaign,
            status=Mandate.Status.CONFIRMED,
            email_hash=email_hash_for(campaign, email),
            sealed_key_id=key_id(campaign.public_key),
            sealed_identity=seal(
                campaign.public_key,
                {
                    "given_names": given_names,
                    "surname": surname,
                    "email": email,
                    "postal_address": "1 rue de la Démonstration\n75000 Paris",
                    "newsletter": False,
                    "campaign": campaign.slug,
                    "complaint_sha256": texts.complaint.sha256,
                    "mandate_sha256": texts.mandate.sha256,
                    "signed_at": signed_at.isoformat(),
                },
            ),
            complaint_version=texts.complaint,
            mandate_version=texts.mandate,
            language="fr",
            signed_at=signed_at,
            confirmed_at=signed_at + timedelta(minutes=7),
            confirmation_method="email",
        )
        mandate.confirmed_sealed_sha256 = sha256_hex(bytes(mandate.sealed_identity))
        mandate.evidence_sha256 = evidence_digest(mandate)
        mandate.save(update_fields=["confirmed_sealed_sha256", "evidence_sha256"])
        record_confirmation(mandate)
    campaign.confirmed_count = recount_confirmed(campaign)
    campaign.save(update_fields=["confirmed_count"])
