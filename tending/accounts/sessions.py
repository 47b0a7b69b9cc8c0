"""Django's database sessions, with the one read every signed-in request makes built
once per process (tending.lib.plans) instead of by the ORM each time. Everything else,
writing included, is Django's `db` engine; the class keeps its name, so the signing salt
and the sessions already stored stay valid."""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from tending.lib.plans import Planned


def _live_session(shape: str, key: str, now: Any) -> Any:
    return Session.objects.filter(session_key=key, expire_date__gt=now).values_list(
        "session_data", "expire_date"
    )


_LIVE = Planned(_live_session)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Session | None:
        key = self.session_key
        if self.get_model_class() is not Session or not isinstance(key, str):
            return super()._get_session_from_db()
        rows = list(_LIVE.rows("", key, timezone.now()))
        if not rows:
            self._session_key = None
            return None
        data, expires = rows[0]
        return Session(session_key=key, session_data=data, expire_date=expires)
