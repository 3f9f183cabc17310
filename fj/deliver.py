"""Sending a summary: by email over SMTP (text and HTML parts) and to a Slack webhook.

Settings are read by the caller (``python -m fj digest`` reads the secrets file, then
the environment) and given here: ``SmtpSettings.from_settings(setting)``. A failure is
one :class:`DeliveryError` whose message says where and why in one line; it never holds
the SMTP password or the webhook's secret path.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import urlsplit

import requests

from fj.digest import Summary
from fj.errors import FJError

#: Settings of the SMTP server, read as FJ_API_KEY is (secrets file, then environment).
SMTP_SETTINGS = (
    "FJ_SMTP_HOST",
    "FJ_SMTP_PORT",
    "FJ_SMTP_USER",
    "FJ_SMTP_PASSWORD",
    "FJ_SMTP_STARTTLS",
    "FJ_SMTP_FROM",
)
TIMEOUT_SECONDS = 30


class DeliveryError(FJError):
    """Sending the summary failed: the SMTP server or the webhook refused it or did not answer."""

    title = "Sending failed"


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send email; the password never appears in a repr or a message."""

    host: str
    port: int = 587
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    starttls: bool = True
    sender: str = "fj-digest@localhost"

    @classmethod
    def from_settings(cls, setting: Callable[[str], str | None]) -> SmtpSettings:
        """Return the settings from ``FJ_SMTP_*`` (``setting(name)`` reads one); raise
        DeliveryError when the host is missing or the port or STARTTLS flag is not valid."""
        host = setting("FJ_SMTP_HOST")
        if not host:
            raise DeliveryError(
                "No SMTP server: set FJ_SMTP_HOST (and FJ_SMTP_PORT, FJ_SMTP_USER, "
                "FJ_SMTP_PASSWORD, FJ_SMTP_STARTTLS, FJ_SMTP_FROM as needed) in "
                ".streamlit/secrets.toml or the environment."
            )
        port_text = setting("FJ_SMTP_PORT") or "587"
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise DeliveryError(f"FJ_SMTP_PORT must be a port number, not {port_text[:20]!r}.")
        flag = (setting("FJ_SMTP_STARTTLS") or "true").strip().lower()
        if flag not in ("true", "false", "1", "0", "yes", "no"):
            raise DeliveryError("FJ_SMTP_STARTTLS must be true or false.")
        user = setting("FJ_SMTP_USER")
        return cls(
            host=host,
            port=int(port_text),
            user=user,
            password=setting("FJ_SMTP_PASSWORD"),
            starttls=flag in ("true", "1", "yes"),
            sender=setting("FJ_SMTP_FROM") or user or cls.sender,
        )


def email_message(summary: Summary, to: Sequence[str], sender: str) -> EmailMessage:
    """Return the summary as an email: its subject, a plain-text part and an HTML part."""
    message = EmailMessage()
    message["Subject"] = summary.subject
    message["From"] = sender
    message["To"] = ", ".join(to)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    message.set_content(summary.text())
    message.add_alternative(summary.html(), subtype="html")
    return message


def send_email(summary: Summary, to: Sequence[str], smtp: SmtpSettings) -> None:
    """Send the summary to ``to`` through the SMTP server; raise DeliveryError on failure."""
    where = f"{smtp.host}:{smtp.port}"
    message = email_message(summary, to, smtp.sender)
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT_SECONDS) as server:
            if smtp.starttls:
                server.starttls(context=ssl.create_default_context())
            if smtp.user:
                server.login(smtp.user, smtp.password or "")
            server.send_message(message)
    except smtplib.SMTPNotSupportedError:
        raise DeliveryError(
            f"The SMTP server {where} does not offer STARTTLS: set FJ_SMTP_STARTTLS=false "
            "only if it is on a network you trust."
        ) from None
    except smtplib.SMTPAuthenticationError as err:
        raise DeliveryError(
            f"The SMTP server {where} refused the login of FJ_SMTP_USER "
            f"({err.smtp_code}): check FJ_SMTP_USER and FJ_SMTP_PASSWORD."
        ) from None
    except smtplib.SMTPResponseException as err:
        said = _one_line(err.smtp_error)
        raise DeliveryError(
            f"The SMTP server {where} refused the summary ({err.smtp_code} {said})."
        ) from None
    except smtplib.SMTPRecipientsRefused as err:
        raise DeliveryError(
            f"The SMTP server {where} refused the address(es) {', '.join(err.recipients)}."
        ) from None
    except (smtplib.SMTPException, OSError) as err:
        raise DeliveryError(
            f"Could not send the summary through the SMTP server {where}: {_reason(err)}."
        ) from None


def slack_payload(summary: Summary) -> dict:
    """Return the webhook body: a Markdown block, and the plain text for notifications."""
    return {
        "text": summary.subject,
        "blocks": [{"type": "markdown", "text": summary.markdown()}],
    }


def post_slack(summary: Summary, webhook_url: str) -> None:
    """Post the summary to a Slack incoming webhook; raise DeliveryError on failure."""
    parts = urlsplit(webhook_url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise DeliveryError("The Slack webhook must be an https:// URL.")
    where = parts.netloc  # the path holds the webhook's secret: never say it
    try:
        response = requests.post(webhook_url, json=slack_payload(summary), timeout=TIMEOUT_SECONDS)
    except requests.RequestException as err:
        raise DeliveryError(
            f"Could not post the summary to the Slack webhook at {where}: {type(err).__name__}."
        ) from None
    if not response.ok:
        raise DeliveryError(
            f"The Slack webhook at {where} answered {response.status_code} "
            f"({_one_line(response.text)[:120] or 'no reason given'})."
        )


def _one_line(text: object) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return " ".join(str(text).split())


def _reason(err: BaseException) -> str:
    if isinstance(err, ConnectionRefusedError):
        return "connection refused"
    if isinstance(err, TimeoutError):
        return "no answer in time"
    return _one_line(getattr(err, "strerror", None) or err) or type(err).__name__
