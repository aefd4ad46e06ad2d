"""The outbox's mails as the bytes an SMTP server receives, written without the email
package's generator.

Every mail the outbox sends has one shape: multipart/alternative, a text and an HTML
part in UTF-8. For it, Django's EmailMultiAlternatives builds a tree of MIME objects and
the generator folds sixteen headers and compiles a regular expression per mail: 0.46 ms
of the worker's CPU per mail, a third of sending it (issue 16). Here the headers are
encoded by the same functions Django and the generator use (so a non-ASCII subject or
name comes out alike), the ones that repeat from mail to mail are encoded once, and the
rest is written as the generator writes it: `test_mime` checks the bytes are Django's,
but for the random boundary, the date and the message id. A body with a line longer
than RFC 5322 allows takes Django's own path, which encodes it as quoted-printable.
"""

import re
import secrets
from email import policy
from email.utils import formatdate, make_msgid
from functools import lru_cache

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import (
    RFC5322_EMAIL_LINE_LENGTH_LIMIT,
    forbid_multi_line_headers,
    sanitize_address,
)
from django.core.mail.utils import DNS_NAME

ENCODING = "utf-8"
# The policy Django's messages carry (compat32), writing CRLF as an SMTP server reads.
FOLDING = policy.compat32.clone(linesep="\r\n")
CRLF = b"\r\n"
FOLD_AT = 78  # compat32's line length
ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
# A dot-atom local part at an ASCII host name: most addresses, which need no encoding.
LABEL = r"[A-Za-z0-9-]{1,63}"
PLAIN_ADDRESS = re.compile(rf"{ATEXT}(?:\.{ATEXT})*@{LABEL}(?:\.{LABEL})*\Z")


def header(name: str, value: str) -> bytes:
    """One header line as Django's message writes it: refused if it holds a line break
    (BadHeaderError), RFC 2047-encoded if it is not ASCII, folded."""
    short = len(name) + len(value) <= FOLD_AT - 2
    if short and name != "Subject" and value.isascii() and value.isprintable():
        return f"{name}: {value}\r\n".encode()  # what folding gives a short ASCII line
    name, value = forbid_multi_line_headers(name, value, ENCODING)
    return FOLDING.fold_binary(name, value)


# Subjects, senders and reply-to addresses repeat across a campaign's mails; a
# recipient's address is never kept here.
_repeated_header = lru_cache(maxsize=256)(header)


def envelope_address(address: str) -> str:
    """An address as Django's SMTP backend gives it to the server (MAIL FROM, RCPT TO)."""
    if PLAIN_ADDRESS.match(address):
        return address  # what sanitize_address gives it back as, parsed and rebuilt
    return sanitize_address(address, ENCODING)


# The envelope sender: the same for every mail, or one per mail with VERP (never a
# signer's address).
sender_address = lru_cache(maxsize=256)(envelope_address)


def message_bytes(
    *, subject: str, from_header: str, to: str, reply_to: str, body_text: str, body_html: str
) -> bytes:
    """The mail EmailMultiAlternatives(subject, body_text, to=[to], reply_to=[reply_to],
    headers={"From": from_header}) with body_html attached would send."""
    parts = (_text_part("plain", body_text), _text_part("html", body_html))
    if None in parts or not body_text:  # Django leaves an empty text part out
        return _as_django_writes_it(
            subject=subject, from_header=from_header, to=to, reply_to=reply_to,
            body_text=body_text, body_html=body_html,
        )  # fmt: skip
    boundary = _boundary(parts)
    lines = [
        b'Content-Type: multipart/alternative;\r\n boundary="' + boundary + b'"\r\n',
        b"MIME-Version: 1.0\r\n",
        _repeated_header("Subject", subject),
        _repeated_header("From", from_header),
        header("To", to),
        _repeated_header("Reply-To", reply_to) if reply_to else b"",
        header("Date", formatdate(localtime=settings.EMAIL_USE_LOCALTIME)),
        header("Message-ID", make_msgid(domain=DNS_NAME)),
        CRLF,
        b"--" + boundary + CRLF,
        parts[0],
        CRLF + b"--" + boundary + CRLF,
        parts[1],
        CRLF + b"--" + boundary + b"--" + CRLF,
    ]
    return b"".join(lines)


def _text_part(subtype: str, text: str) -> bytes | None:
    """A text part in UTF-8 as Django and the generator write it (7bit if the text is
    ASCII, else 8bit, lines ended by CRLF); None if a line is too long for either."""
    body = text.encode(ENCODING, "surrogateescape")
    lines = body.splitlines()
    if any(len(line) > RFC5322_EMAIL_LINE_LENGTH_LIMIT for line in lines):
        return None
    transfer = b"7bit" if body.isascii() else b"8bit"
    content = CRLF.join(lines) + (CRLF if body.endswith((b"\n", b"\r")) else b"")
    return (
        b"Content-Type: text/" + subtype.encode() + b'; charset="utf-8"\r\n'
        b"MIME-Version: 1.0\r\n"
        b"Content-Transfer-Encoding: " + transfer + CRLF + CRLF + content
    )


def _boundary(parts: tuple[bytes, ...]) -> bytes:
    """The generator's kind of boundary, random, and found in no part."""
    while True:
        boundary = b"=" * 15 + str(secrets.randbelow(10**19)).zfill(19).encode() + b"=="
        if not any(boundary in part for part in parts):
            return boundary


def django_message(
    *, subject, from_header, to, reply_to, body_text, body_html, envelope_from=None
) -> EmailMultiAlternatives:
    """The same mail as Django's message, for the backends that take one (the demo's
    files, the console, the tests' outbox) and for the bytes of an unusual mail."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=body_text,
        # Django uses from_email as the envelope sender and the From header as written.
        from_email=envelope_from,
        to=[to],
        reply_to=[reply_to] if reply_to else None,
        headers={"From": from_header},
    )
    message.attach_alternative(body_html, "text/html")
    return message


def _as_django_writes_it(**mail) -> bytes:
    return django_message(**mail).message().as_bytes(linesep="\r\n")
