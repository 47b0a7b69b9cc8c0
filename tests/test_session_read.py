"""Every signed-in request reads its session and its person with SQL built once per
process (accounts/sessions.py, UserManager.get). The answers are Django's: an expired or
deleted session signs nobody in, a person who is gone or inactive is nobody."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from tending.accounts import models as account_models
from tending.accounts import sessions
from tending.accounts.models import User
from tests.conftest import client_for


def _signed_in(client) -> bool:  # type: ignore[no-untyped-def]
    page = client.get(reverse("notify:inbox"))
    return page.status_code == 200


def test_a_live_session_signs_in_through_the_planned_reads(alice) -> None:  # type: ignore[no-untyped-def]
    client = client_for(alice)
    assert _signed_in(client)
    assert sessions._LIVE.has_plan("")
    assert account_models._BY_PK.has_plan("")


def test_an_expired_or_deleted_session_signs_nobody_in(alice) -> None:  # type: ignore[no-untyped-def]
    client = client_for(alice)
    key = client.cookies["sessionid"].value
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    assert not _signed_in(client)
    other = client_for(alice)
    Session.objects.filter(session_key=other.cookies["sessionid"].value).delete()
    assert not _signed_in(other)


def test_a_person_made_inactive_is_signed_out(alice) -> None:  # type: ignore[no-untyped-def]
    client = client_for(alice)
    User.objects.filter(pk=alice.pk).update(is_active=False)
    assert not _signed_in(client)


def test_get_by_pk_answers_as_djangos_get(alice) -> None:  # type: ignore[no-untyped-def]
    found = User.objects.get(pk=alice.pk)
    assert (found.pk, found.email, found.password) == (alice.pk, alice.email, alice.password)
    assert User.objects.get(pk=str(alice.pk)) == alice
    with pytest.raises(User.DoesNotExist):
        User.objects.get(pk=alice.pk + 1000)
    with pytest.raises(ValueError):
        User.objects.get(pk="not a number")
    assert User.objects.get(email=alice.email) == alice
