"""The outbox's mails written by hand (core/mime.py) are the bytes Django would send."""

import email
import email.policy
import random
import re
import string

import pytest
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import BadHeaderError, forbid_multi_line_headers, sanitize_address

from recours.core import mime

BODY = "Bonjour,\n\nPour confirmer : https://plainte.example.org/fr/c/x/confirmer/abc/\n"
# What varies from one writing to the next: the boundary, the date, the message id.
VARYING = [
    (re.compile(rb"={15}\d{19}=="), b"BOUNDARY"),
    (re.compile(rb"\r\nDate: [^\r]*(\r\n [^\r]*)*"), b"\r\nDate: DATE"),
    (re.compile(rb"\r\nMessage-ID: [^\r]*(\r\n [^\r]*)*"), b"\r\nMessage-ID: ID"),
]


def djangos(*, subject, from_header, to, reply_to, body_text, body_html) -> bytes:
    message = EmailMultiAlternatives(
        subject=subject, body=body_text, from_email="bounces+1-x@plainte.example.org",
        to=[to], reply_to=[reply_to] if reply_to else None, headers={"From": from_header},
    )  # fmt: skip
    message.attach_alternative(body_html, "text/html")
    return message.message().as_bytes(linesep="\r\n")


def steady(raw: bytes) -> bytes:
    for pattern, mark in VARYING:
        raw = pattern.sub(mark, raw)
    return raw


MAILS = {
    "ascii": dict(
        subject="Confirm your mandate", from_header="Recours <noreply@plainte.example.org>",
        to="camille@example.org", reply_to="", body_text=BODY, body_html=f"<p>{BODY}</p>",
    ),
    "accents, a long subject, a named sender, reply-to": dict(
        subject="Confirmez votre mandat : plainte collective contre la Technopolice, "
        "quatre piliers, un seul ministère",
        from_header="Quadrature – Recours <noreply@plainte.example.org>",
        to="camille.martin@example.org", reply_to="Équipe <equipe@plainte.example.org>",
        body_text="Bonjour Camille,\n\nÉcrivez-nous : ça compte.\n",
        body_html="<p>Bonjour Camille,</p>\n<p>Écrivez-nous : ça compte.</p>",
    ),
    "a domain in Unicode, line breaks of every kind, a leading dot": dict(
        subject="Mandat", from_header="noreply@plainte.example.org", to="léa@exemple.fr",
        reply_to="", body_text="un\r\ndeux\rtrois\n.\nquatre", body_html="<p>\n\n.</p>\n\n",
    ),
    "a line longer than RFC 5322 allows (quoted-printable, Django's own path)": dict(
        subject="Mandat", from_header="noreply@plainte.example.org", to="a@example.org",
        reply_to="", body_text="é" * 600 + "\n", body_html="<p>" + "x" * 1200 + "</p>",
    ),
}  # fmt: skip


@pytest.mark.parametrize("mail", MAILS.values(), ids=MAILS.keys())
def test_the_bytes_are_djangos_but_for_boundary_date_and_id(mail):
    ours = mime.message_bytes(**mail)

    assert steady(ours) == steady(djangos(**mail))
    parsed = email.message_from_bytes(ours, policy=email.policy.default)
    # Django folds a long encoded subject from the header's first line: a leading space.
    assert parsed["Subject"].strip() == mail["subject"]
    assert parsed.get_body(("plain",)).get_content().replace("\r\n", "\n") == (
        mail["body_text"].replace("\r\n", "\n").replace("\r", "\n")
    )


def test_each_mail_gets_its_own_boundary_date_and_id():
    first, second = (mime.message_bytes(**MAILS["ascii"]) for _ in range(2))

    boundary, message_id = rb"={15}\d{19}==", rb"Message-ID: <[^>]+>"
    assert re.search(boundary, first).group() != re.search(boundary, second).group()
    assert re.search(message_id, first).group() != re.search(message_id, second).group()


def test_a_line_break_in_a_header_is_refused_as_django_refuses_it():
    with pytest.raises(BadHeaderError):
        mime.message_bytes(**MAILS["ascii"] | {"subject": "Mandat\r\nBcc: x@example.org"})
    with pytest.raises(BadHeaderError):
        mime.message_bytes(**MAILS["ascii"] | {"to": "a@example.org\nBcc: x@example.org"})


def test_a_short_ascii_header_written_directly_is_what_folding_writes():
    chance = random.Random(16)
    for _ in range(5000):
        value = "".join(chance.choices(string.printable[:95], k=chance.randint(0, 72)))
        name = chance.choice(["To", "Date", "Message-ID", "From", "Reply-To"])
        name, folded = forbid_multi_line_headers(name, value, "utf-8")
        assert mime.header(name, value) == mime.FOLDING.fold_binary(name, folded), value


def test_a_plain_address_taken_as_it_is_is_what_django_gives_the_server():
    chance = random.Random(16)
    atext = string.ascii_letters + string.digits + "!#$%&'*+/=?^_`{|}~-"
    host = string.ascii_letters + string.digits + "-"
    for _ in range(5000):
        local = ".".join(
            "".join(chance.choices(atext, k=chance.randint(1, 8)))
            for _ in range(chance.randint(1, 3))
        )
        domain = ".".join(
            "".join(chance.choices(host, k=chance.randint(1, 12)))
            for _ in range(chance.randint(1, 3))
        )
        address = f"{local}@{domain}"
        assert mime.envelope_address(address) == sanitize_address(address, "utf-8"), address


def test_an_envelope_address_in_unicode_is_sent_in_ascii():
    assert mime.envelope_address("camille@exémple.fr") == "camille@xn--exmple-cva.fr"
