"""A real SMTP server on a free loopback port (aiosmtpd), for the deadline mail's tests: it keeps
every message it accepts and refuses the recipients a test names."""

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from tests.ops import ROOT, free_port

BASE_URL = "https://caseload.test.example"
AFZENDER = "termijnen@gi-test.example"


class Inbox:
    """aiosmtpd handler: the accepted messages, and the addresses to refuse with a 550."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 Ontvanger geweigerd"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 OK"

    def by_address(self) -> dict[str, EmailMessage]:
        """The accepted messages by receiver; fails when someone got two."""
        got: dict[str, EmailMessage] = {}
        for message in self.messages:
            to = str(message["To"])
            assert to not in got, f"{to} kreeg twee mails"
            got[to] = message
        return got


@contextlib.contextmanager
def smtp_server() -> Iterator[tuple[Inbox, str]]:
    """The server running; yields its inbox and the CASELOAD_SMTP_URL that reaches it."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, f"smtp://127.0.0.1:{port}"
    finally:
        controller.stop()


def digest(*args: str, smtp_url: str = "", timeout: float = 300) -> subprocess.CompletedProcess:
    """`python -m dashboard.digest ...` in a subprocess, as the compose service runs it."""
    env = os.environ | {
        "CASELOAD_SMTP_URL": smtp_url,
        "CASELOAD_SMTP_FROM": AFZENDER,
        "CASELOAD_BASE_URL": BASE_URL,
    }
    return subprocess.run(
        [sys.executable, "-m", "dashboard.digest", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def text_part(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return part.get_content()


def html_part(message: EmailMessage) -> str:
    part = message.get_body(("html",))
    assert part is not None
    return part.get_content()
