"""Campaign texts, their published versions, and the public counter."""

import copy
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone

from recours.campaigns.models import Campaign, StatusChange, TextVersion
from recours.core import microcache
from recours.core.caches import forget_now_and_after_commit
from recours.core.crypto import canonical_json, sha256_hex

COUNT_CACHE_SECONDS = 30
PUBLIC_CAMPAIGN_SECONDS = 30
PUBLIC_STATUSES = [
    Campaign.Status.OPEN,
    Campaign.Status.CLOSED,
    Campaign.Status.FILED,
    Campaign.Status.CASE_CLOSED,
]


def public_campaign(slug: str) -> Campaign:
    """The campaign a public page shows: any but a draft, else 404."""
    return get_object_or_404(
        Campaign.objects.select_related("organisation"), slug=slug, status__in=PUBLIC_STATUSES
    )


def cached_public_campaign(slug: str) -> Campaign:
    """The campaign the cached public reads show (its page, count.json, the badge, the
    widget, the card): from the shared cache, where the lookup with its organisation cost
    more than the rest of a cached page view. Dropped when the campaign or its
    organisation is saved or changes status, and kept PUBLIC_CAMPAIGN_SECONDS at most.
    Confirming reads the row itself; signing reads this, and the worker checks the row
    again when it records the signature (mandates/intake.py)."""
    return cached_public_campaign_and_texts(slug)[0]


def cached_public_campaign_and_texts(slug: str) -> "PublicCampaign":
    """The cached campaign with its texts in force: the sign form needs both, at the
    rate people sign. Dropped with the campaign, and when a text version is published.

    Each process keeps what it read for LOCAL_SECONDS too: the shared cache's round trip
    and unpickling were a tenth of a signature's cost. Another process's change reaches
    it that much later; the key never changes once a campaign is public, and a close
    is checked again on the row by the worker. The caller gets a campaign of its own
    (the page sets its live counter on it)."""
    now = time.monotonic()
    held = _local.get(slug)
    if held is not None and held[0] > now:
        campaign, texts = held[1]
        return copy.copy(campaign), texts
    key = _public_campaign_key(slug)
    both = cache.get(key)
    if both is None:
        campaign = public_campaign(slug)
        both = (campaign, published_texts(campaign))
        cache.set(key, both, PUBLIC_CAMPAIGN_SECONDS)
    _local[slug] = (now + LOCAL_SECONDS, both)
    return copy.copy(both[0]), both[1]


LOCAL_SECONDS = 1.0
_local: dict[str, tuple[float, tuple]] = {}  # slug: (until, (campaign, texts))


def forget_held_campaigns() -> None:
    """Drops what this process keeps (for tests, which switch campaigns faster)."""
    _local.clear()


def forget_public_campaign(slug: str) -> None:
    def forget():
        cache.delete(_public_campaign_key(slug))
        _local.pop(slug, None)

    forget()
    # Again after commit: a concurrent reader may have cached the old row in between.
    transaction.on_commit(forget)


def _public_campaign_key(slug: str) -> str:
    return f"public-campaign-texts:{slug}"


def complaint_snapshot(campaign: Campaign) -> dict:
    return {
        "title": campaign.title,
        "summary": campaign.summary,
        "body": campaign.body,
        "authority": campaign.authority,
        "respondent": campaign.respondent,
        "legal_basis": campaign.legal_basis,
        "organisation": campaign.organisation.as_snapshot(),
        "grounds": [
            {
                "title": ground.title,
                "text": ground.text,
                "sources": [
                    {
                        "title": source.title,
                        "publisher": source.publisher,
                        "date": source.date.isoformat() if source.date else None,
                        "url": source.url,
                    }
                    for source in ground.sources.all()
                ],
            }
            for ground in campaign.grounds.prefetch_related("sources")
        ],
    }


def mandate_snapshot(campaign: Campaign) -> dict:
    return {
        "text": campaign.mandate_text,
        "organisation": campaign.organisation.as_snapshot(),
        "authority": campaign.authority,
        "respondent": campaign.respondent,
    }


def draft_contents(campaign: Campaign) -> dict[str, dict]:
    """What the next versions of the complaint and the mandate would hold, by kind."""
    return {
        TextVersion.Kind.COMPLAINT: complaint_snapshot(campaign),
        TextVersion.Kind.MANDATE: mandate_snapshot(campaign),
    }


def publish_text_versions(*, campaign: Campaign) -> list[TextVersion]:
    """Snapshots the campaign's complaint and mandate texts as new immutable versions,
    each only if it differs from the latest one. Returns the versions created (R1.10)."""
    created = []
    with transaction.atomic():
        Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
        for kind, content in draft_contents(campaign).items():
            digest = sha256_hex(canonical_json(content))
            latest = latest_version(campaign, kind)
            if latest is not None and latest.sha256 == digest:
                continue
            created.append(
                TextVersion.objects.create(
                    campaign=campaign,
                    kind=kind,
                    number=(latest.number + 1) if latest else 1,
                    content=content,
                    sha256=digest,
                )
            )
        if created:
            forget_now_and_after_commit(_texts_key(campaign.pk))
            forget_public_campaign(campaign.slug)
    return created


def latest_version(campaign: Campaign, kind: str) -> TextVersion | None:
    return TextVersion.objects.filter(campaign=campaign, kind=kind).order_by("-number").first()


@dataclass(frozen=True)
class PublishedTexts:
    complaint: TextVersion
    mandate: TextVersion


# A campaign as the public pages hold it (cached_public_campaign_and_texts), with its
# texts in force.
PublicCampaign = tuple[Campaign, PublishedTexts | None]


def _texts_key(campaign_id: int) -> str:
    return f"campaign-texts:{campaign_id}"


def published_texts(campaign: Campaign) -> PublishedTexts | None:
    """The versions in force, read on every page view and signature: cached, and dropped
    by `publish_text_versions` when a new version is published."""
    texts = cache.get(_texts_key(campaign.pk))
    if texts is None:
        complaint = latest_version(campaign, TextVersion.Kind.COMPLAINT)
        mandate = latest_version(campaign, TextVersion.Kind.MANDATE)
        if complaint is None or mandate is None:
            return None
        texts = PublishedTexts(complaint=complaint, mandate=mandate)
        cache.set(_texts_key(campaign.pk), texts, 300)
    return texts


def _count_key(campaign_id: int) -> str:
    return f"campaign-count:{campaign_id}"


def confirmed_count(campaign: Campaign) -> int:
    """The public counter, from the cache when it can. The cached value is dropped by
    every change (see `forget_count`), so it lags a change by one commit at most."""
    value = cache.get(_count_key(campaign.pk))
    if value is None:
        value = Campaign.objects.values_list("confirmed_count", flat=True).get(pk=campaign.pk)
        cache.set(_count_key(campaign.pk), value, COUNT_CACHE_SECONDS)
    return value


def forget_count(campaign_id: int, *more_keys: str) -> None:
    """Call in the transaction that changes the count. `more_keys`: other values that
    transaction changes, dropped from the cache in the same round trips."""
    forget_now_and_after_commit(_count_key(campaign_id), *more_keys)
    microcache.forget()  # this process's kept answers show the count too


NEXT_STATUS = {
    Campaign.Status.DRAFT: Campaign.Status.OPEN,
    Campaign.Status.OPEN: Campaign.Status.CLOSED,
    Campaign.Status.CLOSED: Campaign.Status.FILED,
    Campaign.Status.FILED: Campaign.Status.CASE_CLOSED,
}


class StatusError(ValueError):
    pass


def change_campaign_status(*, campaign: Campaign, to: str, by: str) -> Campaign:
    """Moves a campaign one step along draft → open → closed → filed → case closed and
    records who did it and when. Opening needs a sealing key and published texts; filing
    and closing the case date the retention periods (R2.5)."""
    with transaction.atomic():
        current = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if NEXT_STATUS.get(current.status) != to:
            raise StatusError(
                f"{current.get_status_display()} → {Campaign.Status(to).label}: "
                "a campaign moves one step at a time, forward only"
            )
        if to == Campaign.Status.OPEN and (
            not current.public_key or published_texts(current) is None
        ):
            raise StatusError("create the campaign key and publish its texts before opening it")
        now = timezone.now()
        fields = {"status": to}
        if to == Campaign.Status.FILED:
            fields["filed_at"] = now
        if to == Campaign.Status.CASE_CLOSED:
            fields["case_closed_at"] = now
        Campaign.objects.filter(pk=current.pk).update(**fields)
        forget_public_campaign(current.slug)
        StatusChange.objects.create(
            campaign=current,
            from_status=current.status,
            to_status=to,
            changed_at=now,
            changed_by=by,
        )
    campaign.refresh_from_db()
    return campaign
