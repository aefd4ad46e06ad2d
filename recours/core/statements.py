"""Hand-written statements for the few that run on every request of a surge.

On this stack the ORM spends 0.2–0.7 ms of CPU building a statement that the database
runs in a tenth of that (bench/load.py's confirm scenario, README "Benchmarks"): a
confirmation's seven statements cost more to write than to run. Such statements are
written here by hand, with the models' own table and column names and the fields' own
conversions both ways, so that a renamed field or a new backend type is still the
model's business. Everything else uses the ORM.
"""

from functools import cache, lru_cache

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, models


def cursor():
    """A cursor for the statements written here. On PostgreSQL each is a prepared
    statement, parsed and planned once per connection (settings.DATABASE_PREPARED): at
    every confirmation the server spent 0.11 ms planning the token's read, which then
    ran in 0.04. Elsewhere, Django's cursor."""
    if connection.vendor != "postgresql" or not settings.DATABASE_PREPARED:
        return connection.cursor()
    connection.ensure_connection()
    prepared = _prepared_cursor_class()(connection.connection)
    # As connection.cursor() wraps its own: the queries logged when they are, the
    # execute wrappers applied.
    if connection.queries_logged:
        return connection.make_debug_cursor(prepared)
    return connection.make_cursor(prepared)


@cache
def _prepared_cursor_class():
    from django.db.backends.postgresql.base import CursorMixin
    from psycopg import RawCursor

    class PreparedCursor(CursorMixin, RawCursor):
        """Server-side binding, each statement prepared on its first run. A raw cursor,
        given `$1, $2…` for `%s, %s…`: psycopg would split each statement anew to find
        them, and kept only those under 4 kB split, not the worker's batch inserts (a
        sixth of its CPU)."""

        def execute(self, query, params=None, *, prepare=True, binary=None):
            return super().execute(_numbered(query), params, prepare=prepare, binary=binary)

        def _send_query_prepared(self, name, pgq, *, binary=None):
            # Kept as psycopg keeps a statement it sends unprepared: Django's query log
            # (connection.queries, CaptureQueriesContext) reads it there.
            self._query = pgq
            super()._send_query_prepared(name, pgq, binary=binary)

    return PreparedCursor


@lru_cache(maxsize=256)  # the statements written here: a few dozen shapes
def _numbered(query: str) -> str:
    """`query` with PostgreSQL's numbered placeholders for its `%s`."""
    parts = query.split("%s")
    if any("%" in part for part in parts):
        raise ValueError("a statement written here has no % but its %s placeholders")
    numbered = [parts[0]]
    for number, part in enumerate(parts[1:], start=1):
        numbered += [f"${number}", part]
    return "".join(numbered)


def table(model: type[models.Model]) -> str:
    return _quoted(model, "", connection.vendor)


def column(model: type[models.Model], name: str) -> str:
    return _quoted(model, name, connection.vendor)


@cache
def _quoted(model, name: str, vendor: str) -> str:
    """The table's name (`name` empty) or a column's, quoted: once per process."""
    meta = model._meta
    return connection.ops.quote_name(meta.get_field(name).column if name else meta.db_table)


def columns(model: type[models.Model], names, alias: str = "") -> str:
    prefix = f"{alias}." if alias else ""
    return ", ".join(prefix + column(model, name) for name in names)


def db_value(model: type[models.Model], name: str, value):
    """A value as the field saves it (an aware datetime becomes SQLite's text, say)."""
    return model._meta.get_field(name).get_db_prep_save(value, connection)


def instance(model: type[models.Model], names: tuple[str, ...], values) -> models.Model:
    """A model instance from a row of these fields (attribute names: `campaign_id`),
    converted as the ORM would (SQLite's datetimes made aware, say); the model's other
    fields are deferred, so reading one loads it instead of giving a wrong value."""
    given = {
        name: _convert(value, converters) if value is not None else None
        for name, value, converters in zip(
            names, values, _converters(model, names, connection.vendor), strict=True
        )
    }
    ordered = [f.attname for f in model._meta.concrete_fields if f.attname in given]
    return model.from_db(connection.alias, ordered, [given[name] for name in ordered])


def _convert(value, converters):
    for converter, expression in converters:
        value = converter(value, expression, connection)
    return value


@cache
def _converters(model, names: tuple[str, ...], vendor: str) -> list[list]:
    out = []
    for name in names:
        field = model._meta.get_field(name)
        expression = field.get_col(model._meta.db_table)
        found = connection.ops.get_db_converters(expression) + field.get_db_converters(connection)
        out.append([(converter, expression) for converter in found])
    return out


def insert(rows: list[models.Model]) -> None:
    """Inserts instances of one model in one statement and gives each its primary key, as
    bulk_create does (fields' pre_save included: auto_now_add times, say); no rows, no
    statement."""
    if not rows:
        return
    model = type(rows[0])
    for row, pk in zip(rows, insert_returning(rows, model._meta.pk.name), strict=True):
        row.pk = pk
        row._state.adding = False
        row._state.db = connection.alias


def insert_returning(rows: list[models.Model], returning: str, *, unless: str = "") -> list:
    """Inserts instances of one model in one statement, but (with `unless`, a column
    with a unique index) those whose value is stored already: ON CONFLICT DO NOTHING
    lets the index decide in one round trip. Returns `returning` of each row inserted
    (none for no rows, without a statement)."""
    if not rows:
        return []
    model = type(rows[0])
    fields, sql = _insert_sql(model, len(rows), unless, returning, connection.vendor)
    db = connections[DEFAULT_DB_ALIAS]  # once: `connection` looks it up at each use
    with cursor() as inserting:
        inserting.execute(
            sql,
            [
                field.get_db_prep_save(field.pre_save(row, add=True), db)
                for row in rows
                for field in fields
            ],
        )
        return [value for (value,) in inserting.fetchall()]


@lru_cache(maxsize=128)  # a batch's size varies: bounded
def _insert_sql(model, count: int, unless: str, returning: str, vendor: str):
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
    conflict = f" ON CONFLICT ({column(model, unless)}) DO NOTHING" if unless else ""
    sql = (
        f"INSERT INTO {table(model)} ({columns(model, [f.name for f in fields])}) "  # noqa: S608 - our own names
        f"VALUES {', '.join([marks] * count)}{conflict} RETURNING {column(model, returning)}"
    )
    return fields, sql
