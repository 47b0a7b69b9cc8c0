"""One helper for every email Tending sends.

Each message has three templates under tending/templates/emails/: NAME-subject.txt,
NAME-body.txt and NAME-body.html. Emails say that something happened ("Sam sent
you a note"), never what anyone wrote: the context passed here must not carry
intimate text, and tests check the outbox for it.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, engines
from django.template.loader import render_to_string

log = logging.getLogger(__name__)


def send(name: str, to: str, ctx: dict[str, Any], headers: dict[str, str] | None = None) -> None:
    ctx = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **ctx}
    subject = " ".join(_plain(f"emails/{name}-subject.txt", ctx).split())
    text = _plain(f"emails/{name}-body.txt", ctx)
    html = render_to_string(f"emails/{name}-body.html", ctx)
    message = EmailMultiAlternatives(subject, text, to=[to], headers=headers or {})
    message.attach_alternative(html, "text/html")
    message.send()
    log.info("email sent: %s", name)


def _plain(template_name: str, ctx: dict[str, Any]) -> str:
    """A subject or plain-text body: not HTML, so nothing is escaped (O'Brien
    stays O'Brien); only the HTML body escapes what it shows."""
    template = engines["django"].engine.get_template(template_name)  # type: ignore[attr-defined]
    return template.render(Context(ctx, autoescape=False))
