"""The mail outbox: queue in the caller's transaction, send from a worker.

A mail is rendered from `emails/<name>-subject.txt`, `-body.txt` and `-body.html` in the
language the signer used, and stored as a row whose recipient, subject and bodies are
encrypted with DATA_KEY (never in the database). The worker claims a batch of rows in
one transaction so that two workers never send the same row, decrypts a row only to
send it, retries temporary SMTP failures with exponential backoff, and wipes the row once
the mail has left. Errors are stored and logged with every address taken out.
"""

import logging
import queue
import re
import smtplib
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from recours.core import at_rest, bounces, mime
from recours.core.models import MailContent, OutboxEmail
from recours.core.slots import Slotted

log = logging.getLogger(__name__)

Status = OutboxEmail.Status
BACKOFF_BASE = timedelta(seconds=30)
STALE_CLAIM = timedelta(minutes=10)
WIPED = {"sealed": b""}
RECORD_SENT_EVERY = 25
# Mails rendered with markers in this process: (template, language, key, slot names) →
# subject and bodies. A few campaigns × languages × minutes of expiry: kept small.
_rendered: dict[tuple, tuple[Slotted, Slotted, Slotted]] = {}
RENDERED_KEPT = 256
SAFE_SLOT_VALUE = re.compile(r"[A-Za-z0-9:/._~%?=-]*\Z")
# Anything shaped like an address, as SMTP servers quote them in their refusals.
ADDRESS = re.compile(r"[^\s<>()\[\]{},;:'\"]+@[^\s<>()\[\]{},;:'\"]+")


def queue_email(**mail) -> OutboxEmail:
    """Renders a mail and writes it to the outbox (see `outbox_email` for the arguments).
    Call it inside the transaction that makes the mail true, so that both are saved or
    neither is."""
    row = outbox_email(**mail)
    row.save()
    return row


def outbox_email(
    *,
    to: str,
    template: str,
    context: dict,
    language: str,
    reply_to: str = "",
    about: str = "",
    slots: dict[str, str] | None = None,
    render_key: str = "",
) -> OutboxEmail:
    """Renders a mail into an outbox row, unsaved: a batch saves its rows in one
    statement (core/statements.insert).

    A mail sent alike to many but for a few values (its links, which carry tokens) gives
    them as `slots` ({name: value}) with a `render_key` naming everything else in
    `context`: this process renders it once per template, language and key, with markers
    where the values go (core/slots.py), and fills them in for each mail. A value must be
    safe as it is in text and in HTML (a URL of ours); any other is rendered in full."""
    if slots and render_key and all(SAFE_SLOT_VALUE.match(v) for v in slots.values()):
        values = {_marker(name): value.encode() for name, value in slots.items()}
        subject, body_text, body_html = (
            part.filled(values).decode()
            for part in _rendered_once(template, language, context, list(slots), render_key)
        )
    else:
        subject, body_text, body_html = _render(template, context | (slots or {}), language)
    content = MailContent(
        to=to, subject=subject, body_text=body_text, body_html=body_html, reply_to=reply_to
    )
    return OutboxEmail(
        template=template,
        sealed=content.sealed(),
        next_attempt_at=timezone.now(),
        about=about,
    )


def _render(template: str, context: dict, language: str) -> tuple[str, str, str]:
    with translation.override(language):
        subject = " ".join(render_to_string(f"emails/{template}-subject.txt", context).split())
        body_text = render_to_string(f"emails/{template}-body.txt", context)
        body_html = render_to_string(f"emails/{template}-body.html", context)
    return subject, body_text, body_html


def _marker(name: str) -> str:
    return f"@@{name.replace('_', '-')}@@"


def _rendered_once(
    template: str, language: str, context: dict, names: list[str], render_key: str
) -> tuple[Slotted, Slotted, Slotted]:
    key = (template, language, render_key, tuple(sorted(names)))
    parts = _rendered.get(key)
    if parts is None:
        markers = {name: _marker(name) for name in names}
        parts = tuple(map(Slotted.of, _render(template, context | markers, language)))
        if len(_rendered) >= RENDERED_KEPT:
            _rendered.clear()
        _rendered[key] = parts
    return parts


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


def _claim_due(limit: int) -> list[OutboxEmail]:
    """Up to `limit` due rows, claimed for this worker in one transaction: rows another
    worker holds are skipped on PostgreSQL (SKIP LOCKED); SQLite's writers take turns."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            OutboxEmail.objects.select_for_update(skip_locked=True)
            .filter(status=Status.QUEUED, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")[:limit]
        )
        OutboxEmail.objects.filter(pk__in=[row.pk for row in rows], status=Status.QUEUED).update(
            status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    for row in rows:
        row.status, row.claimed_at, row.attempts = Status.SENDING, now, row.attempts + 1
    return rows


def mark_stale_claims() -> int:
    """Rows left in SENDING by a dead worker become UNCERTAIN and are wiped, never resent."""
    cutoff = timezone.now() - STALE_CLAIM
    stale = OutboxEmail.objects.filter(status=Status.SENDING, claimed_at__lt=cutoff)
    abouts = list(stale.values_list("pk", "about"))
    with transaction.atomic():
        count = OutboxEmail.objects.filter(
            pk__in=[pk for pk, _ in abouts], status=Status.SENDING
        ).update(status=Status.UNCERTAIN, **WIPED)
        _tell([about for _, about in abouts], "uncertain")
    if count:
        log.warning("outbox: %d mail(s) left mid-send by a dead worker, not resent", count)
    return count


def send_due_emails(*, limit: int = 100) -> dict[str, int]:
    """Claims up to `limit` due mails at once and sends them over up to MAIL_CONNECTIONS
    SMTP connections at a time, each kept open for its share of the batch: a mail waits
    for four of the server's replies, and while one connection waits the others send.
    Only this thread writes to the database. What became of each mail is written as it
    is known, but for the mails sent, written together every RECORD_SENT_EVERY: a worker
    dying in between leaves them claimed, and `mark_stale_claims` makes them uncertain,
    never sent twice. Returns counts by outcome."""
    counts = {"sent": 0, "retry": 0, "failed": 0, "unreadable": 0}
    rows = _claim_due(limit)
    if not rows:
        return counts
    # Only a server is worth waiting on in parallel; the demo's files, the console and
    # the tests' outbox take the mails one lane, in order.
    over_smtp = issubclass(import_string(settings.EMAIL_BACKEND), SMTPBackend)
    lanes = max(1, min(settings.MAIL_CONNECTIONS if over_smtp else 1, len(rows)))
    results: queue.SimpleQueue = queue.SimpleQueue()
    stop = threading.Event()
    threads = [
        threading.Thread(target=_send_lane, args=(rows[lane::lanes], results, stop))
        for lane in range(lanes)
    ]
    for thread in threads:
        thread.start()
    sent: list[OutboxEmail] = []
    try:
        for _ in rows:
            row, failure = results.get()
            outcome = _settle(row, failure)
            counts[outcome] += 1
            if outcome == "sent":
                sent.append(row)
            if len(sent) == RECORD_SENT_EVERY:
                _record_sent(sent)
                sent = []
    finally:
        stop.set()
        for thread in threads:
            thread.join()
        while not results.empty():  # sent by a lane after a failure here stopped reading
            row, failure = results.get()
            if failure is None:
                sent.append(row)
        _record_sent(sent)
    if counts["sent"] or counts["failed"] or counts["unreadable"]:
        _flush_wiped_pages()
    return counts


def _send_lane(rows: list[OutboxEmail], results: queue.SimpleQueue, stop: threading.Event):
    """Sends `rows` one after the other over one connection, putting (row, None) or
    (row, the exception) in `results` for each, until `stop` is set."""
    smtp = get_connection(fail_silently=False)
    try:
        for row in rows:
            if stop.is_set():
                return
            try:
                _send_one(smtp, row)
            except Exception as exc:  # noqa: BLE001 - the caller records every failure
                results.put((row, exc))
                if _is_temporary(exc):
                    _close(smtp)  # a broken connection is reopened by the next send
            else:
                results.put((row, None))
    finally:
        _close(smtp)


def _close(smtp) -> None:
    try:
        smtp.close()
    except Exception:  # noqa: BLE001 - closing a broken connection must not mask results
        log.debug("outbox: closing the SMTP connection failed", exc_info=True)


def _record_sent(rows: list[OutboxEmail]) -> None:
    if rows:
        with transaction.atomic():
            OutboxEmail.objects.filter(pk__in=[row.pk for row in rows]).update(
                status=Status.SENT, sent_at=timezone.now(), last_error="", **WIPED
            )
            _tell([row.about for row in rows], "sent")


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


def _send_one(smtp, row: OutboxEmail) -> None:
    """Decrypts and sends one mail; raises what went wrong. Touches no database: it runs
    in a lane's thread."""
    content = row.content
    envelope_from = bounces.return_path(row.pk) or settings.DEFAULT_FROM_EMAIL
    mail = dict(
        subject=content.subject, from_header=settings.DEFAULT_FROM_EMAIL, to=content.to,
        reply_to=content.reply_to, body_text=content.body_text, body_html=content.body_html,
    )  # fmt: skip
    if not isinstance(smtp, SMTPBackend):  # the demo's files, the console, the tests' outbox
        message = mime.django_message(**mail, envelope_from=envelope_from)
        message.connection = smtp
        message.send()
        return
    # The bytes Django would send, written for a fraction of the CPU (core/mime.py).
    raw = mime.message_bytes(**mail)
    # Opened here, not at each mail: one connection and one EHLO for the lane's share of
    # the batch, and a failure to connect is this mail's, retried.
    smtp.open()
    smtp.connection.sendmail(
        mime.sender_address(envelope_from), [mime.envelope_address(content.to)], raw
    )


def _settle(row: OutboxEmail, failure: Exception | None) -> str:
    """Records what became of a mail but for a mail sent (the caller records those
    together) and returns its outcome."""
    if failure is None:
        return "sent"
    if isinstance(failure, at_rest.Unreadable):
        # Never sent garbled, never a crash: the row is set aside and counted.
        OutboxEmail.objects.filter(pk=row.pk).update(
            status=Status.FAILED, last_error=f"unreadable: {failure}"[:300], **WIPED
        )
        log.error("outbox: mail #%d cannot be decrypted with DATA_KEY (%s)", row.pk, failure)
        return "unreadable"
    error = _error_text(failure)
    if _is_temporary(failure) and row.attempts < settings.MAIL_MAX_ATTEMPTS:
        delay = BACKOFF_BASE * (2 ** (row.attempts - 1))
        _record(
            row, "deferred",
            status=Status.QUEUED, next_attempt_at=timezone.now() + delay, last_error=error,
        )  # fmt: skip
        log.info("outbox: mail #%d deferred %ss after: %s", row.pk, delay.seconds, error)
        return "retry"
    log.warning("outbox: mail #%d failed for good: %s", row.pk, error)
    # A refused address is told as a bounce, not as a failure of ours.
    refused = _is_refused_recipient(failure)
    _record(row, "bounced" if refused else "failed",
            status=Status.FAILED, last_error=error, **WIPED)  # fmt: skip
    return "failed"


def _record(row: OutboxEmail, outcome: str, **fields) -> None:
    """Writes what became of a mail and tells its app in one transaction, so that the
    organisers' figures count each outcome exactly with the row that records it."""
    with transaction.atomic():
        OutboxEmail.objects.filter(pk=row.pk).update(**fields)
        if outcome == "bounced":
            bounces.record_bounce(row.pk)
        else:
            _tell([row.about], outcome)


def _tell(abouts: list[str], outcome: str) -> None:
    if abouts := [about for about in abouts if about]:
        bounces.mail_outcome.send(sender=OutboxEmail, abouts=abouts, outcome=outcome)


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
