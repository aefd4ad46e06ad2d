"""A real SMTP server (aiosmtpd on loopback) for the mail tests of every part, and what
the tests read from the mail it receives."""

import email
import email.policy
from contextlib import contextmanager

from aiosmtpd.controller import Controller
from django.test import override_settings

from recours.core.tests.appserver import free_port


class Inbox:
    """Keeps every message; answers each RCPT with the code in `refuse` when set, or with
    `refuse_if(address)` when that gives one."""

    def __init__(self):
        self.messages = []
        self.senders = []  # envelope senders (MAIL FROM)
        self.refuse = None
        self.refuse_if = lambda address: None
        self.refused = []  # (address, reply) of each refusal
        self.sessions = []  # the SMTP sessions (connections) messages came through

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        refusal = self.refuse or self.refuse_if(address)
        if refusal:
            self.refused.append((address, refusal))
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.senders.append(envelope.mail_from)
        if not any(known is session for known in self.sessions):
            self.sessions.append(session)
        self.messages.append(
            email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        )
        return "250 Message accepted"


@contextmanager
def smtp_on_loopback():
    """The server alone, for a process of its own to send to: (inbox, port)."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@contextmanager
def running_smtp_server():
    with (
        smtp_on_loopback() as (inbox, port),
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_TIMEOUT=5,
        ),
    ):
        yield inbox


def text_part(message):
    return message.get_body(preferencelist=("plain",)).get_content()
