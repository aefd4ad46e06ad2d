"""What organisers do in the console, each as one function that owns its transaction and
writes its line of the organisation's activity log in it.

The campaign functions go through the campaigns and mandates domain (versions, the
one-step lifecycle, news through the outbox): the console adds who did it, never a
second way of doing it. Nothing here reads a signer's identity.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from recours.campaigns.domain import (
    change_campaign_status,
    forget_public_campaign,
    publish_text_versions,
)
from recours.campaigns.models import Campaign, Organisation
from recours.campaigns.pictures import store_picture
from recours.console.activity import record_activity
from recours.console.models import CampaignSetup, Invitation, Membership
from recours.core.crypto import hash_token, key_id, new_token
from recours.core.mail import queue_email
from recours.mandates.models import SignerUpdate
from recours.mandates.updates import send_signer_update

INVITATION_LIFETIME = timedelta(days=7)


class InvitationProblem(Exception):
    pass


def invite_member(*, organisation: Organisation, email: str, role: str, by) -> Invitation:
    """Mails a single-use link, valid a week, through the outbox; an earlier unused
    invitation of the same address to the same organisation stops working."""
    token, token_hash = new_token()
    with transaction.atomic():
        Invitation.objects.filter(
            organisation=organisation, email__iexact=email, used_at__isnull=True
        ).update(expires_at=timezone.now())
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=email,
            role=role,
            token_hash=token_hash,
            invited_by=by.username,
            expires_at=timezone.now() + INVITATION_LIFETIME,
        )
        queue_email(
            to=email,
            template="console-invitation",
            language=getattr(by, "language", None) or settings.LANGUAGE_CODE,
            context={
                "organisation": organisation,
                "invitation": invitation,
                "url": settings.SITE_URL + reverse("console:accept", args=[token]),
            },
        )
        record_activity(
            organisation=organisation,
            actor=by,
            action="member.invited",
            subject=email,
            details={"role": role},
        )
    return invitation


def usable_invitation(token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None or invitation.used_at is not None:
        raise InvitationProblem("used")
    if invitation.expires_at <= timezone.now():
        raise InvitationProblem("expired")
    return invitation


def accept_invitation(
    *, token: str, user: User | None = None, username: str = "", password: str = ""
):
    """Spends the invitation (once, even under concurrent requests) and makes its holder
    a member: `user` if they already have an account, else a new account. Returns it."""
    with transaction.atomic():
        invitation = usable_invitation(token)
        spent = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if not spent:
            raise InvitationProblem("used")
        if user is None:
            user = User.objects.create_user(
                username=username, email=invitation.email, password=password
            )
        Membership.objects.update_or_create(
            user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
        )
        record_activity(
            organisation=invitation.organisation,
            actor=user,
            action="member.joined",
            subject=user.username,
            details={"role": invitation.role},
        )
    return user


def remove_member(*, membership: Membership, by) -> None:
    with transaction.atomic():
        membership.delete()
        record_activity(
            organisation=membership.organisation,
            actor=by,
            action="member.removed",
            subject=membership.user.username,
        )


def create_organisation(*, organisation: Organisation, by) -> Organisation:
    with transaction.atomic():
        organisation.save()
        record_activity(
            organisation=organisation, actor=by, action="organisation.created",
            subject=organisation.name,
        )  # fmt: skip
    return organisation


def update_organisation(*, organisation: Organisation, changed: list[str], by) -> None:
    with transaction.atomic():
        organisation.save()
        record_activity(
            organisation=organisation,
            actor=by,
            action="organisation.changed",
            subject=organisation.name,
            details={"fields": changed},
        )


def create_campaign(*, organisation: Organisation, title: str, slug: str, language: str, by):
    """A draft with placeholder dates and goal that the set-up steps replace; nothing of
    it is public until its texts are published and it is opened."""
    now = timezone.now()
    with transaction.atomic():
        campaign = Campaign.objects.create(
            organisation=organisation,
            title=title,
            slug=slug,
            language=language,
            summary="",
            body="",
            mandate_text="",
            authority="",
            respondent="",
            legal_basis="",
            goal=1000,
            opens_at=now + timedelta(days=14),
            closes_at=now + timedelta(days=104),
        )
        CampaignSetup.objects.create(campaign=campaign)
        record_activity(
            organisation=organisation, actor=by, action="campaign.created",
            subject=title, campaign=campaign,
        )  # fmt: skip
    return campaign


def save_step(*, campaign: Campaign, step: str, form, by) -> None:
    """Saves one set-up step of a draft (or an open campaign's draft texts)."""
    with transaction.atomic():
        form.save()
        record_change(campaign=campaign, step=step, by=by, fields=sorted(form.changed_data))


def record_change(*, campaign: Campaign, step: str, by, fields=()) -> None:
    """Marks a set-up step done and logs the change; call it in the transaction that
    saved the change."""
    _mark_done(campaign, step)
    # What the public page shows may have changed (questions, timeline…): a new stamp
    # gives the cached page a new key.
    Campaign.objects.filter(pk=campaign.pk).update(changed_at=timezone.now())
    forget_public_campaign(campaign.slug)
    record_activity(
        organisation=campaign.organisation,
        actor=by,
        action="campaign.changed",
        subject=campaign.title,
        campaign=campaign,
        details={"step": step, "fields": list(fields)},
    )


def _mark_done(campaign: Campaign, step: str) -> None:
    setup, _ = CampaignSetup.objects.get_or_create(campaign=campaign)
    if step not in setup.steps_done:
        setup.steps_done = [*setup.steps_done, step]
        setup.save(update_fields=["steps_done"])


def set_identity(*, campaign: Campaign, data: dict, by) -> None:
    """The organisation's logo and colour, the campaign's hero image and colour, from a
    checked IdentityForm: stored (images once, by their hash) and logged together."""
    organisation = campaign.organisation
    with transaction.atomic():
        if data["remove_logo"]:
            organisation.logo = None
        elif data["logo"]:
            organisation.logo = store_picture(data["logo"], "logo")
        organisation.colour = data["organisation_colour"]
        organisation.save(update_fields=["logo", "colour"])
        if data["remove_hero"]:
            campaign.hero, campaign.hero_alt = None, ""
        else:
            if data["hero"]:
                campaign.hero = store_picture(data["hero"], "hero")
            campaign.hero_alt = data["hero_alt"]
        campaign.colour = data["colour"]
        campaign.save(update_fields=["hero", "hero_alt", "colour"])
        record_change(campaign=campaign, step="identity", by=by)


def register_public_key(*, campaign: Campaign, public_key: str, by) -> None:
    """Records the campaign's public sealing key. Only while no mandate is sealed: a new
    key after that needs the offline re-sealing (README, "Key rotation")."""
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.status != Campaign.Status.DRAFT:
            raise ValueError("the key of an opened campaign changes only offline")
        Campaign.objects.filter(pk=campaign.pk).update(public_key=public_key)
        _mark_done(campaign, "key")
        record_activity(
            organisation=campaign.organisation,
            actor=by,
            action="key.registered",
            subject=campaign.title,
            campaign=campaign,
            details={"key_id": key_id(public_key)},
        )
    campaign.public_key = public_key


def publish_texts(*, campaign: Campaign, by) -> list:
    with transaction.atomic():
        created = publish_text_versions(campaign=campaign)
        if created:
            record_activity(
                organisation=campaign.organisation,
                actor=by,
                action="texts.published",
                subject=campaign.title,
                campaign=campaign,
                details={
                    version.kind: {"number": version.number, "sha256": version.sha256}
                    for version in created
                },
            )
    return created


def move_campaign(*, campaign: Campaign, to: str, by) -> Campaign:
    with transaction.atomic():
        before = campaign.status
        campaign = change_campaign_status(campaign=campaign, to=to, by=by.username)
        record_activity(
            organisation=campaign.organisation,
            actor=by,
            action="status.changed",
            subject=campaign.title,
            campaign=campaign,
            details={"from": before, "to": to},
        )
    return campaign


def send_news(*, update: SignerUpdate, by) -> int:
    """Queues the news to every signer who asked for it, through the outbox (one mail
    each, each with its unsubscribe link), once."""
    count = send_signer_update(update=update)
    record_activity(
        organisation=update.campaign.organisation,
        actor=by,
        action="news.sent",
        subject=update.subject,
        campaign=update.campaign,
        details={"recipients": count},
    )
    return count
