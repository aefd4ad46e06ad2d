"""The hand-written statements' helpers (core/statements.py) read and write as the ORM,
here on the models of a confirmation."""

import pytest
from django.db import connection

from recours.core import statements
from recours.mandates.models import LogEntry, Mandate
from recours.testing import sign_up

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_a_row_read_by_hand_is_the_orms_instance_and_loads_what_it_did_not_read(campaign):
    sign_up(campaign, "lu", 1)
    stored = Mandate.objects.get()
    names = ("id", "status", "signed_at", "sealed_identity")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {statements.columns(Mandate, names)} FROM {statements.table(Mandate)}"  # noqa: S608
        )
        mandate = statements.instance(Mandate, names, cursor.fetchone())

    assert (mandate.pk, mandate.status, mandate.signed_at) == (
        stored.pk,
        stored.status,
        stored.signed_at,  # aware, on SQLite too
    )
    assert bytes(mandate.sealed_identity) == bytes(stored.sealed_identity)
    assert mandate.get_deferred_fields() >= {"email_hash", "campaign_id"}
    assert mandate.email_hash == stored.email_hash  # loaded when read


def test_rows_inserted_by_hand_get_their_keys_and_read_back_as_saved(campaign):
    rows = [
        LogEntry(campaign=campaign, position=n, kind="add", commitment=f"{n:064x}",
                 created_at=campaign.opens_at, previous_hash="0" * 64, entry_hash=f"{n:064x}")
        for n in range(3)
    ]  # fmt: skip
    statements.insert(rows)

    assert [row.pk for row in rows] == list(
        LogEntry.objects.order_by("position").values_list("pk", flat=True)
    )
    assert LogEntry.objects.get(position=2).created_at == campaign.opens_at
    assert not rows[0]._state.adding
