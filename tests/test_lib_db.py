"""unhurried_commit: only the outermost transaction of a harmless write is relaxed."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from tending.lib.db import unhurried_commit

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="synchronous_commit is PostgreSQL's"
)


def _setting() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_the_outermost_transaction_skips_the_wait_for_the_disk_and_only_it() -> None:
    before = _setting()
    assert before != "off"
    with unhurried_commit():
        assert _setting() == "off"
    assert _setting() == before


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_that_matters_nothing_is_relaxed() -> None:
    with transaction.atomic():
        with unhurried_commit():
            assert _setting() != "off"
        assert _setting() != "off"


@pytest.mark.django_db(transaction=True)
def test_an_error_rolls_the_write_back() -> None:
    from tending.accounts.models import User

    with pytest.raises(RuntimeError), unhurried_commit():
        User.objects.create_user(email="gone@example.com", password="x" * 12)
        raise RuntimeError
    assert not User.objects.filter(email="gone@example.com").exists()
