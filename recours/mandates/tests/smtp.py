"""A real SMTP server (aiosmtpd on loopback) for the mail tests of this app, and what
the tests read from the mail it receives."""

import email
import email.policy
from contextlib import contextmanager

from aiosmtpd.controller import Controller
from django.test import override_settings

from recours.core.tests.appserver import free_port


class Inbox:
    """Keeps every message; answers each RCPT with the code in `refuse` when set."""

    def __init__(self):
        self.messages = []
        self.senders = []  # envelope senders (MAIL FROM)
        self.refuse = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.senders.append(envelope.mail_from)
        self.messages.append(
            email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        )
        return "250 Message accepted"


@contextmanager
def running_smtp_server():
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_TIMEOUT=5,
        ):
            yield inbox
    finally:
        controller.stop()


def text_part(message):
    return message.get_body(preferencelist=("plain",)).get_content()
