"""The hand-written statements' cursor (core/statements.py): prepared on PostgreSQL, the
queries still logged and wrapped as Django's own cursor's are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recours.core import statements
from recours.core.models import OutboxEmail

pytestmark = pytest.mark.django_db

SQL = 'SELECT COUNT(*) FROM "core_outboxemail" WHERE "attempts" >= %s'


def run_twice(attempts: int = 0) -> list[int]:
    counts = []
    for _ in range(2):
        with statements.cursor() as cursor:
            cursor.execute(SQL, [attempts])
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
    expected = OutboxEmail.objects.filter(attempts__gte=0).count()  # the campaign's mails

    assert run_twice() == [expected, expected]
    assert prepared_statements().count(SQL.replace("%s", "$1")) == 1


def test_off_it_is_djangos_own_cursor(postgresql, settings):
    settings.DATABASE_PREPARED = False
    already = prepared_statements()

    assert run_twice() == [0, 0]
    assert prepared_statements() == already


def test_its_queries_are_logged_and_wrapped():
    seen = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with CaptureQueriesContext(connection) as queries, connection.execute_wrapper(wrapper):
        run_twice()

    assert seen == [SQL, SQL]
    logged = [query["sql"] for query in queries.captured_queries]
    assert len(logged) == 2
    assert all(sql.startswith('SELECT COUNT(*) FROM "core_outboxemail"') for sql in logged)


def test_placeholders_are_numbered_for_the_raw_cursor():
    assert statements._numbered("UPDATE t SET a = %s WHERE b IN (%s, %s)") == (
        "UPDATE t SET a = $1 WHERE b IN ($2, $3)"
    )
    assert statements._numbered("SELECT 1") == "SELECT 1"
    with pytest.raises(ValueError, match="no % but"):
        statements._numbered("SELECT * FROM t WHERE a LIKE '%x' AND b = %s")
