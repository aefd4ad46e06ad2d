"""Erases the contact address of every lead received more than
OBSERVATORY_LEAD_CONTACT_DAYS ago (180 by default). Run it daily, beside `purge`.

A lead's document goes as soon as a moderator deals with the lead (moderation.py); its
sender's address is kept a while longer, in case a moderator has a question, then goes
too. The lead itself stays: what it said is part of the record."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from recours.observatory.models import Lead


class Command(BaseCommand):
    help = "Erases leads' contact addresses past OBSERVATORY_LEAD_CONTACT_DAYS."

    def handle(self, *args, **options):
        cutoff = timezone.localdate() - timedelta(days=settings.OBSERVATORY_LEAD_CONTACT_DAYS)
        erased = (
            Lead.objects.filter(received_on__lt=cutoff)
            .exclude(contact_sealed=b"")
            .update(contact_sealed=b"")
        )
        self.stdout.write(f"{erased} contact addresses erased")
