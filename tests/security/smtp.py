"""A real SMTP server (aiosmtpd) for the mail tests, on a port the system hands out as free."""

import email
import email.policy
from contextlib import contextmanager

from aiosmtpd.controller import Controller

from tests.ports import free_port


class Inbox:
    """Every message the server accepted, parsed."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.recipients: list[list[str]] = []
        self.raw: list[bytes] = []
        self.port = 0

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        self.recipients.append(list(envelope.rcpt_tos))
        self.raw.append(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"

    def text(self, index: int = -1) -> str:
        return self.messages[index].get_body(preferencelist=("plain",)).get_content()

    def html(self, index: int = -1) -> str:
        return self.messages[index].get_body(preferencelist=("html",)).get_content()


@contextmanager
def smtp_server(port: int | None = None):
    inbox = Inbox()
    inbox.port = port = port or free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()
