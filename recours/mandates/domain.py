"""Signing, confirming and withdrawing mandates: the hot path, with its guarantees.

Each function owns its transaction. The counter `Campaign.confirmed_count` changes only
here, in the same transaction as the mandate it counts, so it always equals the number of
confirmed mandates.
"""

import base64
import enum
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone

from recours.campaigns import tallies
from recours.campaigns.domain import PublicCampaign, PublishedTexts
from recours.campaigns.models import Campaign
from recours.campaigns.presentation import appearance
from recours.core import statements as core_statements
from recours.core.caches import digest_key
from recours.core.crypto import (
    hash_token,
    key_id,
    keyed_hash,
    new_token,
    public_of,
    seal,
    sha256_hex,
)
from recours.core.mail import outbox_email, queue_email
from recours.core.models import OutboxEmail
from recours.core.ratelimit import Rule, hits
from recours.mandates import confirmation_statements as statements
from recours.mandates import transparency
from recours.mandates.digests import evidence_digest_of
from recours.mandates.identity import SignerIdentity, canonical_email
from recours.mandates.models import Invalidation, Mandate, MandateToken, SubmissionKey

Status = Mandate.Status
Purpose = MandateToken.Purpose
ACTIVE = [Status.PENDING, Status.CONFIRMED]
CONFIRM_TOKEN_LIFETIME = timedelta(days=7)


class SignOutcome(enum.Enum):
    DUPLICATE_SUBMISSION = "duplicate_submission"
    CREATED = "created"
    PENDING_AGAIN = "pending_again"
    ALREADY_CONFIRMED = "already_confirmed"
    RECIPIENT_LIMITED = "recipient_limited"


class TokenProblem(enum.Enum):
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


class TokenError(Exception):
    def __init__(self, problem: TokenProblem):
        super().__init__(problem.value)
        self.problem = problem


class CampaignNotOpen(Exception):
    pass


def email_domain_hash_for(campaign: Campaign, domain: str) -> str:
    return keyed_hash("mandate-domain", str(campaign.pk), domain.lower().strip().rstrip("."))


def network_hash_for(campaign: Campaign, network: str) -> str:
    return keyed_hash("mandate-network", str(campaign.pk), network)


def email_hash_for(campaign: Campaign, email: str) -> str:
    # Scoped to the campaign, so that hashes cannot link one person across campaigns.
    return keyed_hash("mandate-email", str(campaign.pk), canonical_email(email))


@dataclass(frozen=True)
class Signature:
    """A signature as the sign form gives it, ready to record: the identity already
    sealed, every other field computed. Only `email` is in clear, for the mail, and it is
    never stored so (the sign intake encrypts it, the outbox too)."""

    campaign: Campaign
    email: str
    email_hash: str
    fields: dict
    key_hash: str | None = None


def prepare_signature(
    *,
    campaign: Campaign,
    identity: SignerIdentity,
    texts: PublishedTexts,
    language: str,
    submission_key: str | None = None,
    network: str = "",
) -> Signature:
    """The work of a signature that needs no database: the keyed hashes, and the identity
    sealed to the campaign's public key (and, for news, to the contact key). Raises
    CampaignNotOpen."""
    now = timezone.now()
    if not campaign.is_accepting_signatures(now):
        raise CampaignNotOpen
    sealed = seal(
        campaign.public_key,
        {
            **identity.sealed_payload(),
            "campaign": campaign.slug,
            "complaint_sha256": texts.complaint.sha256,
            "mandate_sha256": texts.mandate.sha256,
            "signed_at": now.isoformat(),
        },
    )
    contact = (
        seal(public_of(settings.CONTACT_KEY), {"email": identity.email})
        if identity.contact_updates and settings.CONTACT_KEY
        else None
    )
    return Signature(
        campaign=campaign,
        email=identity.email,
        email_hash=email_hash_for(campaign, identity.email),
        key_hash=SubmissionKey.hash_of(submission_key) if submission_key else None,
        fields={
            "email_domain_hash": email_domain_hash_for(campaign, identity.email.rpartition("@")[2]),
            "network_hash": network_hash_for(campaign, network) if network else "",
            "contact_sealed": contact,
            "sealed_identity": sealed,
            "sealed_key_id": key_id(campaign.public_key),
            "complaint_version_id": texts.complaint.pk,
            "mandate_version_id": texts.mandate.pk,
            "language": language,
            "signed_at": now,
        },
    )


def sign_mandate(**details) -> SignOutcome:
    """Prepares and records a signature at once, with the arguments of
    `prepare_signature` (the sign form stores it in the sign intake instead, and the
    worker records it: mandates/intake.py)."""
    signature = prepare_signature(**details)
    with transaction.atomic():
        (outcome,) = record_signatures([signature])
        if outcome is SignOutcome.CREATED:
            at = signature.fields["signed_at"]
            tallies.add(signature.campaign.pk, tallies.Metric.SIGNUP, at=at)
    return outcome


def record_signatures(signatures: list[Signature]) -> list[SignOutcome]:
    """Records pending mandates and queues their mails, a batch at a time in a few
    statements; call it inside the caller's transaction, which adds the created mandates
    to the hour's tally, last before its commit (every sign-up of the hour updates that
    one row). Returns each signature's outcome. A batch holds one signature per person
    (the worker keeps the last one).

    Nothing identifying is stored in clear: the identity is sealed, and the queued mail's
    recipient is encrypted with the server's DATA_KEY, and the worker wipes it once sent.
    A second signature with the same e-mail creates nothing new: a pending mandate takes
    the newly typed identity and gets a fresh confirmation link (older links stop
    working, so the mail last received is the one confirmed); a confirmed signer receives
    a mail with their manage link. A form submitted again with the same one-time key (a
    client retrying after a time-out) changes nothing. The sign form answers the same in
    every case, so that it tells no one who has signed (R1.6, R1.9, R2.2).
    """
    outcomes: list[SignOutcome | None] = [None] * len(signatures)
    # No one can be mail-bombed through the form: past a few mails a day to one address
    # for one campaign, a signature changes nothing and sends nothing (the form still
    # answers the same). Counted on the keyed hash, never the address.
    limit, window = settings.SIGN_RATE_LIMITS["recipient"]
    rule = Rule("sign-recipient", limit, window)
    for index, refusal in enumerate(hits(rule, [s.email_hash for s in signatures])):
        if refusal:
            outcomes[index] = SignOutcome.RECIPIENT_LIMITED
    keyed = [i for i, s in enumerate(signatures) if outcomes[i] is None and s.key_hash]
    fresh = SubmissionKey.spend_hashes([signatures[i].key_hash for i in keyed])
    for index in keyed:
        if signatures[index].key_hash not in fresh:
            outcomes[index] = SignOutcome.DUPLICATE_SUBMISSION
    todo = [i for i, outcome in enumerate(outcomes) if outcome is None]
    try:
        with transaction.atomic():
            _record_mandates(signatures, todo, outcomes)
    except IntegrityError:
        # Another worker recorded one of these people first, and has committed since
        # (the unique index waited for it): again, now as a repeat.
        _record_mandates(signatures, todo, outcomes)
    return outcomes


def _record_mandates(signatures: list[Signature], todo: list[int], outcomes: list) -> None:
    """The mandates of the signatures at `todo`, created or taken up again, with their
    links and mails: one statement each for all of them, but the repeats' updates."""
    found = active_mandates([(signatures[i].campaign, signatures[i].email_hash) for i in todo])
    created, again, mandates = [], [], {}
    for index in todo:
        signature = signatures[index]
        # A new attempt to reach the address, whatever became of the last one.
        fields = signature.fields | {"bounced_at": None}
        mandate = found.get((signature.campaign.pk, signature.email_hash))
        if mandate is None:
            mandate = Mandate(
                campaign=signature.campaign, email_hash=signature.email_hash, **fields
            )
            created.append(mandate)
            outcomes[index] = SignOutcome.CREATED
        elif mandate.status == Status.CONFIRMED:
            outcomes[index] = SignOutcome.ALREADY_CONFIRMED
        else:
            Mandate.objects.filter(pk=mandate.pk).update(**fields)
            mandate.language = fields["language"]
            again.append(mandate.pk)
            outcomes[index] = SignOutcome.PENDING_AGAIN
        mandates[index] = mandate
    # Written by hand (core/statements.py): compiling bulk_create's statement cost more
    # than its rows.
    core_statements.insert(created)
    if again:
        MandateToken.objects.filter(
            mandate_id__in=again, purpose=Purpose.CONFIRM, used_at__isnull=True
        ).delete()
    tokens, mails = [], []
    for index in todo:
        confirm = outcomes[index] is not SignOutcome.ALREADY_CONFIRMED
        rows, mail = _mail(
            mandates[index],
            signatures[index].email,
            "confirm" if confirm else "already-signed",
            confirm=confirm,
        )
        tokens += rows
        mails.append(mail)
    core_statements.insert(tokens)
    core_statements.insert(mails)


def active_mandates(people: list[tuple[Campaign, str]]) -> dict[tuple[int, str], Mandate]:
    """The active mandates of these people (campaign and e-mail hash), locked, by
    campaign id and e-mail hash, in one query. Filtered on status here rather than in
    SQL, so that the query has one index to use (`mandate_by_email`): a person has a
    handful of rows at most."""
    if not people:
        return {}
    campaigns = {campaign.pk: campaign for campaign, _ in people}
    rows = Mandate.objects.select_for_update().filter(
        campaign_id__in=list(campaigns), email_hash__in=[email_hash for _, email_hash in people]
    )
    found = {}
    for row in rows:
        if row.status in ACTIVE:
            row.campaign = campaigns[row.campaign_id]  # the mail needs it: no second query
            found[row.campaign_id, row.email_hash] = row
    return found


def active_mandate(campaign: Campaign, email_hash: str) -> Mandate | None:
    return active_mandates([(campaign, email_hash)]).get((campaign.pk, email_hash))


def manage_url(campaign: Campaign, token: str) -> str:
    """The mailed link where a signer sees or withdraws their mandate."""
    return settings.SITE_URL + reverse("mandates:manage", args=[campaign.slug, token])


def issue_token(mandate: Mandate, purpose: str, expires_at=None) -> str:
    token, row = unsaved_token(mandate, purpose, expires_at)
    row.save()
    return token


def _mail(
    mandate: Mandate, email: str, template: str, *, confirm: bool
) -> tuple[list[MandateToken], OutboxEmail]:
    """The links of a signature's mail (unsaved) and the mail (unsaved)."""
    campaign = mandate.campaign
    slug = campaign.slug
    manage_token, manage_row = unsaved_token(mandate, Purpose.MANAGE)
    rows = [manage_row]
    # No text the signer typed goes into the mail: whoever types someone else's address
    # must not put words in the organisation's mouth.
    context = {"campaign": campaign}
    slots = {"manage_url": manage_url(campaign, manage_token)}
    expiry = ""
    if confirm:
        expires_at = min(timezone.now() + CONFIRM_TOKEN_LIFETIME, campaign.closes_at)
        token, row = unsaved_token(mandate, Purpose.CONFIRM, expires_at)
        rows.append(row)
        slots["confirm_url"] = settings.SITE_URL + reverse("mandates:confirm", args=[slug, token])
        context["expires_at"] = expires_at
        expiry = expires_at.strftime("%Y%m%d%H%M")  # the mail shows it to the minute
    # What the mail shows but its links: rendered once per campaign state and minute of
    # expiry in each process, not for every signature.
    render_key = digest_key("mail", (*appearance(campaign), expiry))
    return rows, outbox_email(
        to=email,
        template=template,
        context=context,
        language=mandate.language,
        about=f"mandate:{mandate.pk}",
        slots=slots,
        render_key=render_key,
    )


def unsaved_token(mandate: Mandate, purpose: str, expires_at=None) -> tuple[str, MandateToken]:
    token, token_hash = new_token()
    return token, MandateToken(
        mandate=mandate, purpose=purpose, token_hash=token_hash, expires_at=expires_at
    )


TEXTS_NOT_NEEDED = [
    "mandate__complaint_version__content",
    "mandate__mandate_version__content",
    "mandate__campaign__body",
    "mandate__campaign__mandate_text",
]


def _token_row(token: str, purpose: str, public: PublicCampaign | None = None) -> MandateToken:
    """The token's row with its mandate, both locked. Not the campaign's row: every
    confirmation and withdrawal of a campaign would then wait on the others from their
    first statement; each locks it by its own counter update, as late as it can.

    `public`: the campaign of the link's page and its texts in force, as the public pages
    hold them (campaigns/domain.py). The row then reads the mandate alone, and a token of
    another campaign is unknown there."""
    if public is None:
        row = (
            MandateToken.objects.select_for_update(of=("self", "mandate"))
            .select_related(
                "mandate",
                "mandate__campaign__organisation",  # the pages after it show the organisation
                "mandate__complaint_version",
                "mandate__mandate_version",
            )
            .defer(*TEXTS_NOT_NEEDED)  # the evidence needs the texts' hashes, not the texts
            .filter(token_hash=hash_token(token), purpose=purpose)
            .first()
        )
    else:  # a surge's confirmations: the same read, by hand
        row = statements.token_row(hash_token(token), purpose)
    if row is None:
        raise TokenError(TokenProblem.UNKNOWN)
    if public is not None:
        if row.mandate.campaign_id != public[0].pk:
            raise TokenError(TokenProblem.UNKNOWN)
        row.mandate.campaign = public[0]
    return row


def check_confirm_token(*, token: str) -> Mandate:
    """The pending mandate a confirmation link is for; raises TokenError otherwise.
    Reads only: following the link confirms nothing (mail scanners follow links)."""
    with transaction.atomic():
        return _usable_confirm_token(token).mandate


def _usable_confirm_token(token: str, public: PublicCampaign | None = None) -> MandateToken:
    row = _token_row(token, Purpose.CONFIRM, public)
    mandate = row.mandate
    now = timezone.now()
    if mandate.status == Status.WITHDRAWN:
        raise TokenError(TokenProblem.WITHDRAWN)
    if row.used_at is not None or mandate.status == Status.CONFIRMED:
        raise TokenError(TokenProblem.USED)
    if not mandate.campaign.is_accepting_signatures(now):
        raise TokenError(TokenProblem.CLOSED)
    if row.expires_at is not None and row.expires_at <= now:
        raise TokenError(TokenProblem.EXPIRED)
    return row


def evidence_digest(mandate: Mandate, texts: PublishedTexts | None = None) -> str:
    """`texts`: the texts in force, whose digests serve when the mandate signed them
    (else its own versions are read)."""
    return evidence_digest_of(
        campaign=mandate.campaign.slug,
        complaint_sha256=_text_sha256(mandate, "complaint", texts),
        mandate_sha256=_text_sha256(mandate, "mandate", texts),
        sealed_sha256=mandate.confirmed_sealed_sha256,
        signed_at=mandate.signed_at.isoformat(),
        confirmed_at=mandate.confirmed_at.isoformat(),
        method=mandate.confirmation_method,
    )


def _text_sha256(mandate: Mandate, kind: str, texts: PublishedTexts | None) -> str:
    in_force = getattr(texts, kind, None)
    if in_force is not None and in_force.pk == getattr(mandate, f"{kind}_version_id"):
        return in_force.sha256
    return getattr(mandate, f"{kind}_version").sha256


def confirm_mandate(*, token: str, public: PublicCampaign | None = None) -> Mandate:
    """Confirms the pending mandate of a confirmation token, once: the token is spent,
    the evidence recorded (UTC times, text hashes, method: e-mail verified, R1.6) and the
    counter incremented and the mandate's commitment appended to the public log, in one
    transaction. Concurrent confirmations of one token make
    one confirmation; the others get TokenError(USED). `public`: the link page's campaign
    and texts as the public pages hold them (_token_row); the counter's update checks
    the row itself."""
    with transaction.atomic():
        row = _usable_confirm_token(token, public)
        now = timezone.now()
        if not statements.spend_token(row.pk, now):
            raise TokenError(TokenProblem.USED)
        mandate = row.mandate
        mandate.status = Status.CONFIRMED
        mandate.confirmed_at = now
        mandate.confirmation_method = "email"
        mandate.confirmed_sealed_sha256 = sha256_hex(bytes(mandate.sealed_identity))
        mandate.evidence_sha256 = evidence_digest(mandate, public and public[1])
        transparency.commit_to(mandate)
        # Before the campaign's row is locked: two round trips to the cache under that
        # lock halved the confirmations' rate at 64 connections (bench/load.py).
        transparency.forget_published(mandate.campaign_id)
        # This update also locks the campaign row, which orders the log append below.
        # The mandate row is locked before the campaign row, as in a withdrawal. Under
        # that lock it checks again that the campaign takes mandates: a close may have
        # committed since the token was read.
        if not statements.count_in(mandate.campaign_id, now):
            # Raised inside the transaction: nothing of it is kept.
            raise TokenError(TokenProblem.CLOSED)
        transparency.log_confirmation(mandate, save=False, head_forgotten=True)
        # Saved with its place in the log: one update of the mandate, not two.
        saved = statements.save_if_pending(
            mandate.pk, {name: getattr(mandate, name) for name in CONFIRMATION_FIELDS}
        )
        if not saved:  # raised inside the transaction: the token stays unspent
            raise TokenError(TokenProblem.USED)
        delay = tallies.delay_metric(now - mandate.signed_at)
        tallies.add(mandate.campaign_id, tallies.Metric.CONFIRMED, delay, at=now)
    return mandate


CONFIRMATION_FIELDS = [
    "log_position",
    "status",
    "confirmed_at",
    "confirmation_method",
    "confirmed_sealed_sha256",
    "evidence_sha256",
    "commitment_salt",
    "commitment",
]


def record_bounce(mandate_id: int) -> bool:
    """The confirmation mail of a pending mandate came back undelivered: its links stop
    working, so it is never confirmed and never counts. True if it was pending. A bounce
    for a confirmed mandate (its "already signed" mail) changes nothing: the signer
    confirmed from a working address before."""
    with transaction.atomic():
        pending = Mandate.objects.filter(
            pk=mandate_id, status=Status.PENDING, bounced_at__isnull=True
        ).update(bounced_at=timezone.now())
        if pending:
            MandateToken.objects.filter(mandate_id=mandate_id, purpose=Purpose.CONFIRM).delete()
    return bool(pending)


def _mandate_of(about: str) -> int | None:
    kind, _, identifier = about.partition(":")
    return int(identifier) if kind == "mandate" and identifier.isdigit() else None


def on_mail_bounced(sender, about: str, **kwargs) -> None:
    if (mandate_id := _mandate_of(about)) is not None:
        with transaction.atomic():
            record_bounce(mandate_id)
            _tally_mail([mandate_id], "bounced")


def on_mail_outcome(sender, abouts: list[str], outcome: str, **kwargs) -> None:
    mandate_ids = [_mandate_of(about) for about in abouts]
    _tally_mail([mandate_id for mandate_id in mandate_ids if mandate_id is not None], outcome)


def _tally_mail(mandate_ids: list[int], outcome: str) -> None:
    """One to the outcome's tally per mail, in one update per campaign (none for a mandate
    that is gone)."""
    per_mandate = Counter(mandate_ids)  # a mandate may have had two mails in a batch
    campaigns = Counter()
    rows = Mandate.objects.filter(pk__in=per_mandate).values_list("pk", "campaign_id")
    for mandate_id, campaign_id in rows:
        campaigns[campaign_id] += per_mandate[mandate_id]
    for campaign_id, mails in campaigns.items():
        tallies.add(campaign_id, tallies.mail_metric(outcome), amount=mails)


def mandate_for_manage_token(*, token: str) -> Mandate:
    return mandate_for_token(token=token, purpose=Purpose.MANAGE)


def mandate_for_token(*, token: str, purpose: str) -> Mandate:
    with transaction.atomic():
        return _token_row(token, purpose).mandate


def withdraw_mandate(*, token: str) -> Mandate:
    """Withdraws a mandate at the signer's request, at any time and without reason (C. civ.
    2004, GDPR Art. 7(3), R1.8): it leaves the counter and any future dossier, the public log
    records the removal (not the person), its sealed identity and the keyed hash of its
    address are deleted (nothing needs them any more: signing again makes a new mandate)
    and its pending confirmation links stop working. Withdrawing twice changes nothing."""
    with transaction.atomic():
        mandate = _token_row(token, Purpose.MANAGE).mandate
        if mandate.status in (Status.WITHDRAWN, Status.INVALIDATED):
            return mandate
        was_confirmed = mandate.status == Status.CONFIRMED
        now = timezone.now()
        Mandate.objects.filter(pk=mandate.pk).update(
            status=Status.WITHDRAWN,
            withdrawn_at=now,
            sealed_identity=None,
            sealed_scan=None,
            contact_sealed=None,
            email_hash="",
        )
        mandate.tokens.filter(purpose=Purpose.CONFIRM).delete()
        withdrawn = [tallies.Metric.WITHDRAWN] + [tallies.Metric.REMOVED] * was_confirmed
        tallies.add(mandate.campaign_id, *withdrawn, at=now)
        if was_confirmed:
            transparency.forget_published(mandate.campaign_id)
            Campaign.objects.filter(pk=mandate.campaign_id).update(
                confirmed_count=F("confirmed_count") - 1
            )
            transparency.record_removal(mandate, head_forgotten=True)
    mandate.refresh_from_db()
    return mandate


def recount_confirmed(campaign: Campaign) -> int:
    """Counts the rows; for audits and tests, never for page views."""
    return Mandate.objects.filter(campaign=campaign, status=Status.CONFIRMED).count()


def held_data(mandate: Mandate) -> dict:
    """Everything the server holds about one mandate, for its signer (R2.7)."""
    sealed = bytes(mandate.sealed_identity) if mandate.sealed_identity is not None else None
    return {
        "campaign": mandate.campaign.slug,
        "status": mandate.status,
        "language": mandate.language,
        "signed_at": mandate.signed_at.isoformat(),
        "confirmed_at": mandate.confirmed_at.isoformat() if mandate.confirmed_at else None,
        "withdrawn_at": mandate.withdrawn_at.isoformat() if mandate.withdrawn_at else None,
        "complaint_sha256": mandate.complaint_version.sha256,
        "mandate_sha256": mandate.mandate_version.sha256,
        "confirmation_method": mandate.confirmation_method,
        "evidence_sha256": mandate.evidence_sha256,
        "email_keyed_hash": mandate.email_hash,
        "transparency_log": {"position": mandate.log_position, "commitment": mandate.commitment},
        "sealed_identity_base64": base64.b64encode(sealed).decode() if sealed else None,
        "sealed_identity_note": (
            "Your name, e-mail and address, encrypted with the campaign's public key. "
            "Only the organisers' offline key opens it; ask them for a readable copy."
        ),
    }


def request_rights(*, token: str, kind: str, reply_to: str, message: str) -> Mandate:
    """Sends the organisers a signer's rights request (GDPR Arts. 15-17, R2.7) through the
    outbox. It names the mandate by its public commitment, which the organisers find in
    their dossier; the signer's address travels only as the reply address, encrypted at
    rest and wiped once sent."""
    with transaction.atomic():
        mandate = _token_row(token, Purpose.MANAGE).mandate
        campaign = mandate.campaign
        queue_email(
            to=campaign.organisation.contact_email,
            reply_to=reply_to,
            template="rights-request",
            context={
                "campaign": campaign,
                "mandate": mandate,
                "kind": kind,
                "reply_to": reply_to,
                "message": message,
            },
            language=campaign.language,
        )
    return mandate


def unsubscribe_from_updates(*, token: str) -> Mandate:
    """Stops news of the complaint for this signer by deleting the only copy of their
    address the server could read. Their mandate is unchanged."""
    with transaction.atomic():
        row = _token_row(token, Purpose.UNSUBSCRIBE)
        Mandate.objects.filter(pk=row.mandate_id).update(contact_sealed=None)
        MandateToken.objects.filter(mandate_id=row.mandate_id, purpose=Purpose.UNSUBSCRIBE).exclude(
            pk=row.pk
        ).delete()
    return row.mandate


def invalidate_mandates(*, campaign: Campaign, mandates, decided_by: str, criteria: dict) -> int:
    """Strikes out mandates found to be abuse: they leave the counter and any future
    dossier, the public log records each removal, their sealed identities are deleted,
    and the decision is recorded with its author and criteria. Returns how many."""
    with transaction.atomic():
        targets = list(
            mandates.select_for_update().filter(
                campaign=campaign, status__in=[Status.PENDING, Status.CONFIRMED]
            )
        )
        decision = Invalidation.objects.create(
            campaign=campaign, decided_by=decided_by, criteria=criteria, count=len(targets)
        )
        confirmed = [m for m in targets if m.status == Status.CONFIRMED]
        Mandate.objects.filter(pk__in=[m.pk for m in targets]).update(
            status=Status.INVALIDATED,
            invalidation=decision,
            sealed_identity=None,
            sealed_scan=None,
            contact_sealed=None,
        )
        MandateToken.objects.filter(mandate__in=targets, purpose=Purpose.CONFIRM).delete()
        if targets:
            tallies.add(campaign.pk, tallies.Metric.INVALIDATED, amount=len(targets))
        if confirmed:
            tallies.add(campaign.pk, tallies.Metric.REMOVED, amount=len(confirmed))
            transparency.forget_published(campaign.pk)  # once, not once per removal
            Campaign.objects.filter(pk=campaign.pk).update(
                confirmed_count=F("confirmed_count") - len(confirmed)
            )
            for mandate in confirmed:
                transparency.record_removal(mandate, head_forgotten=True)
    return len(targets)


def signature_gauges() -> list[str]:
    """For the metrics page: mandates confirmed (the counters) and waiting, all campaigns
    together; no campaign, person or network in a label."""
    confirmed = Campaign.objects.aggregate(total=Sum("confirmed_count"))["total"] or 0
    pending = Mandate.objects.filter(status=Status.PENDING).count()
    return [
        "# TYPE recours_mandates_confirmed gauge",
        f"recours_mandates_confirmed {confirmed}",
        "# TYPE recours_mandates_pending gauge",
        f"recours_mandates_pending {pending}",
    ]
