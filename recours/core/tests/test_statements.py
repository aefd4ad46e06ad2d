"""The hand-written statements' cursor (core/statements.py): prepared on PostgreSQL, the
queries still logged and wrapped as Django's own cursor's are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recours.core import statements
from recours.mandates import transparency

pytestmark = pytest.mark.django_db

SQL = 'SELECT COUNT(*) FROM "mandates_logentry" WHERE "campaign_id" = %s'


def run_twice(campaign_id: int) -> list[int]:
    counts = []
    for _ in range(2):
        with statements.cursor() as cursor:
            cursor.execute(SQL, [campaign_id])
            counts.append(cursor.fetchone()[0])
    return counts


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's (DATABASE_URL)")


def test_a_statement_is_prepared_once_and_gives_the_same_rows(postgresql, campaign):
    transparency.append_entry(campaign_id=campaign.pk, kind="add", commitment="a" * 64)

    assert run_twice(campaign.pk) == [1, 1]
    assert prepared_statements().count(SQL.replace("%s", "$1")) == 1


def test_off_it_is_djangos_own_cursor(postgresql, campaign, settings):
    settings.DATABASE_PREPARED = False
    already = prepared_statements()

    assert run_twice(campaign.pk) == [0, 0]
    assert prepared_statements() == already


def test_its_queries_are_logged_and_wrapped(campaign):
    seen = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with CaptureQueriesContext(connection) as queries, connection.execute_wrapper(wrapper):
        run_twice(campaign.pk)

    assert seen == [SQL, SQL]
    logged = [query["sql"] for query in queries.captured_queries]
    assert len(logged) == 2
    assert all(sql.startswith('SELECT COUNT(*) FROM "mandates_logentry"') for sql in logged)
