"""The mail outbox: queue in the caller's transaction, send from a worker.

A mail is rendered from `emails/<name>-subject.txt`, `-body.txt` and `-body.html` in the
language the signer used, and stored as a row whose recipient, subject and bodies are
encrypted with DATA_KEY (never in the database). The worker claims rows with a
conditional update so that two workers never send the same row, decrypts a row only to
send it, retries temporary SMTP failures with exponential backoff, and wipes the row once
the mail has left. Errors are stored and logged with every address taken out.
"""

import logging
import re
import smtplib
import socket
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from recours.core import at_rest, bounces
from recours.core.models import MailContent, OutboxEmail

log = logging.getLogger(__name__)

Status = OutboxEmail.Status
BACKOFF_BASE = timedelta(seconds=30)
STALE_CLAIM = timedelta(minutes=10)
WIPED = {"sealed": b""}
# Anything shaped like an address, as SMTP servers quote them in their refusals.
ADDRESS = re.compile(r"[^\s<>()\[\]{},;:'\"]+@[^\s<>()\[\]{},;:'\"]+")


def queue_email(
    *, to: str, template: str, context: dict, language: str, reply_to: str = "", about: str = ""
) -> OutboxEmail:
    """Renders a mail and writes it to the outbox. Call it inside the transaction that
    makes the mail true, so that both are saved or neither is."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"emails/{template}-subject.txt", context).split())
        body_text = render_to_string(f"emails/{template}-body.txt", context)
        body_html = render_to_string(f"emails/{template}-body.html", context)
    content = MailContent(
        to=to, subject=subject, body_text=body_text, body_html=body_html, reply_to=reply_to
    )
    return OutboxEmail.objects.create(
        template=template,
        sealed=content.sealed(),
        next_attempt_at=timezone.now(),
        about=about,
    )


def _is_temporary(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(exc, smtplib.SMTPServerDisconnected | socket.error | TimeoutError)


def _is_refused_recipient(exc: Exception) -> bool:
    """A permanent refusal of the address itself (5xx at RCPT), as opposed to our own
    server failing us: only the former says the address does not work."""
    return isinstance(exc, smtplib.SMTPRecipientsRefused) and all(
        500 <= code < 600 for code, _ in exc.recipients.values()
    )


def _claim(row_id: int) -> bool:
    now = timezone.now()
    claimed = OutboxEmail.objects.filter(
        pk=row_id, status=Status.QUEUED, next_attempt_at__lte=now
    ).update(status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    return claimed == 1


def mark_stale_claims() -> int:
    """Rows left in SENDING by a dead worker become UNCERTAIN and are wiped, never resent."""
    cutoff = timezone.now() - STALE_CLAIM
    stale = OutboxEmail.objects.filter(status=Status.SENDING, claimed_at__lt=cutoff)
    abouts = list(stale.values_list("pk", "about"))
    with transaction.atomic():
        count = OutboxEmail.objects.filter(
            pk__in=[pk for pk, _ in abouts], status=Status.SENDING
        ).update(status=Status.UNCERTAIN, **WIPED)
        for _, about in abouts:
            _tell(about, "uncertain")
    if count:
        log.warning("outbox: %d mail(s) left mid-send by a dead worker, not resent", count)
    return count


def send_due_emails(*, limit: int = 100) -> dict[str, int]:
    """Sends up to `limit` due mails over one SMTP connection. Returns counts by outcome."""
    counts = {"sent": 0, "retry": 0, "failed": 0, "unreadable": 0}
    due = list(
        OutboxEmail.objects.filter(status=Status.QUEUED, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    if not due:
        return counts
    smtp = get_connection(fail_silently=False)
    try:
        for row_id in due:
            if _claim(row_id):
                counts[_send_one(smtp, OutboxEmail.objects.get(pk=row_id))] += 1
    finally:
        try:
            smtp.close()
        except Exception:  # noqa: BLE001 - closing a broken connection must not mask results
            log.debug("outbox: closing the SMTP connection failed", exc_info=True)
    if counts["sent"] or counts["failed"] or counts["unreadable"]:
        _flush_wiped_pages()
    return counts


def without_addresses(text: str) -> str:
    """An error as it may be stored and logged: every address replaced by a mark."""
    return ADDRESS.sub("[adresse]", text)


def _error_text(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        # Its str() is the dict of refused addresses; keep the codes and the replies.
        replies = "; ".join(
            f"{code} {reply.decode(errors='replace') if isinstance(reply, bytes) else reply}"
            for code, reply in exc.recipients.values()
        )
        return without_addresses(f"SMTPRecipientsRefused: {replies}")[:300]
    return without_addresses(f"{type(exc).__name__}: {exc}")[:300]


def _send_one(smtp, row: OutboxEmail) -> str:
    try:
        content = row.content
    except at_rest.Unreadable as exc:
        # Never sent garbled, never a crash: the row is set aside and counted.
        OutboxEmail.objects.filter(pk=row.pk).update(
            status=Status.FAILED, last_error=f"unreadable: {exc}"[:300], **WIPED
        )
        log.error("outbox: mail #%d cannot be decrypted with DATA_KEY (%s)", row.pk, exc)
        return "unreadable"
    message = EmailMultiAlternatives(
        subject=content.subject,
        body=content.body_text,
        # Django uses from_email as the envelope sender and the From header as written.
        from_email=bounces.return_path(row.pk) or settings.DEFAULT_FROM_EMAIL,
        to=[content.to],
        reply_to=[content.reply_to] if content.reply_to else None,
        headers={"From": settings.DEFAULT_FROM_EMAIL},
        connection=smtp,
    )
    message.attach_alternative(content.body_html, "text/html")
    try:
        message.send()
    except Exception as exc:  # noqa: BLE001 - any failure is recorded on the row
        error = _error_text(exc)
        if _is_temporary(exc) and row.attempts < settings.MAIL_MAX_ATTEMPTS:
            delay = BACKOFF_BASE * (2 ** (row.attempts - 1))
            _record(
                row, "deferred",
                status=Status.QUEUED, next_attempt_at=timezone.now() + delay, last_error=error,
            )  # fmt: skip
            log.info("outbox: mail #%d deferred %ss after: %s", row.pk, delay.seconds, error)
            try:
                smtp.close()  # a broken connection is reopened by the next send
            except Exception:  # noqa: BLE001
                log.debug("outbox: closing after a failure failed", exc_info=True)
            return "retry"
        log.warning("outbox: mail #%d failed for good: %s", row.pk, error)
        # A refused address is told as a bounce, not as a failure of ours.
        refused = _is_refused_recipient(exc)
        _record(row, "bounced" if refused else "failed",
                status=Status.FAILED, last_error=error, **WIPED)  # fmt: skip
        return "failed"
    _record(row, "sent", status=Status.SENT, sent_at=timezone.now(), last_error="", **WIPED)
    return "sent"


def _record(row: OutboxEmail, outcome: str, **fields) -> None:
    """Writes what became of a mail and tells its app in one transaction, so that the
    organisers' figures count each outcome exactly with the row that records it."""
    with transaction.atomic():
        OutboxEmail.objects.filter(pk=row.pk).update(**fields)
        if outcome == "bounced":
            bounces.record_bounce(row.pk)
        else:
            _tell(row.about, outcome)


def _tell(about: str, outcome: str) -> None:
    if about:
        bounces.mail_outcome.send(sender=OutboxEmail, about=about, outcome=outcome)


def _flush_wiped_pages() -> None:
    """On SQLite, old page images holding a wiped address stay in the WAL file until a
    checkpoint; truncate it so that the file on disk no longer holds them. Best effort:
    a busy reader makes it a no-op and the next batch tries again."""
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        try:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except DatabaseError as exc:  # a full disk: the wiped rows are committed anyway
            log.warning("outbox: the WAL could not be truncated (%s); next batch", exc)
