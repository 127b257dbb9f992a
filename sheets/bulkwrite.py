"""Writing many rows and their history rows fast.

On PostgreSQL new rows and updates go through COPY (ids drawn from the table's sequence in one query,
history rows written alongside with django-simple-history's columns); Django's bulk_create spends
most of its time preparing each value of each row in Python, which caps an import far below
what the database can take. Elsewhere (SQLite: the quick start) simple_history's
bulk_create_with_history / bulk_update_with_history do the same job.

Only the column types of the ten templates' models are formatted here (text, dates, datetimes,
booleans, integers, decimals, foreign keys); a model with anything else falls back to the ORM path.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.db import connection, models
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

BATCH_SIZE = 1000
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_SUPPORTED = (
    models.CharField,
    models.TextField,
    models.DateField,
    models.DateTimeField,
    models.BooleanField,
    models.IntegerField,
    models.DecimalField,
    models.ForeignKey,
    models.AutoField,
    models.BigAutoField,
)


def insert_with_history(model: type[models.Model], objs: list, *, user, change_reason: str) -> None:
    if not objs:
        return
    if _copy_available(model):
        _copy_insert(model, objs, user=user, change_reason=change_reason)
    else:
        bulk_create_with_history(
            objs, model, batch_size=BATCH_SIZE, default_user=user, default_change_reason=change_reason
        )


def update_with_history(
    model: type[models.Model], objs: list, fields: list[str], *, user, change_reason: str
) -> None:
    """`fields` are field names; `updated_at` is set to now when the model has it."""
    if not objs:
        return
    now = timezone.now()
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        for obj in objs:
            obj.updated_at = now
        fields = [*fields, "updated_at"]
    if _copy_available(model):
        _copy_update(model, objs, fields, user=user, change_reason=change_reason, now=now)
    else:
        bulk_update_with_history(
            objs, model, fields, batch_size=BATCH_SIZE, default_user=user, default_change_reason=change_reason
        )


# ---------------------------------------------------------------- PostgreSQL COPY


def _copy_available(model) -> bool:
    if connection.vendor != "postgresql":
        return False
    history = model.history.model
    fields = [*model._meta.concrete_fields, *history._meta.concrete_fields]
    return all(isinstance(f, _SUPPORTED) for f in fields) and _history_extra_fields_known(model)


def _history_extra_fields_known(model) -> bool:
    own = {f.attname for f in model._meta.concrete_fields}
    extra = {f.attname for f in model.history.model._meta.concrete_fields} - own
    return extra <= {"history_id", "history_date", "history_change_reason", "history_type", "history_user_id"}


def _format(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, dt.date):  # dates and aware datetimes alike
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _text(value) -> str:
    if value is None:
        return "\\N"
    return (
        value.translate(_COPY_ESCAPES)
        if ("\\" in value or "\t" in value or "\n" in value or "\r" in value)
        else value
    )


def _formatter(field):
    """The COPY text formatter of one column (text columns, the bulk of a row, take a fast path)."""
    if isinstance(field, models.CharField | models.TextField):
        return _text
    return _format


def _copy(cursor, table: str, columns: list, rows) -> None:
    """COPY `rows` (sequences of Python values) into `columns` (model fields) of `table`."""
    formatters = [_formatter(field) for field in columns]
    buffer = io.StringIO()
    write = buffer.write
    for row in rows:
        write("\t".join([fmt(value) for fmt, value in zip(formatters, row, strict=True)]))
        write("\n")
    buffer.seek(0)
    quoted = ", ".join(connection.ops.quote_name(field.column) for field in columns)
    cursor.copy_expert(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN", buffer)


def _history_rows(model, objs, *, history_type: str, user, change_reason: str, now):
    """Column names and value tuples of the history rows of `objs`, as simple_history writes them."""
    own = [f.attname for f in model._meta.concrete_fields]
    history = model.history.model
    columns, getters = [], []
    user_id = user.pk if user is not None else None
    constants = {
        "history_date": now,
        "history_change_reason": change_reason,
        "history_type": history_type,
        "history_user_id": user_id,
    }
    for field in history._meta.concrete_fields:
        if field.attname == "history_id":
            continue
        columns.append(field)
        if field.attname in constants:
            value = constants[field.attname]
            getters.append(lambda obj, value=value: value)
        else:
            assert field.attname in own
            getters.append(lambda obj, attname=field.attname: getattr(obj, attname))
    rows = ([get(obj) for get in getters] for obj in objs)
    return history._meta.db_table, columns, rows


def _copy_insert(model, objs, *, user, change_reason: str) -> None:
    now = timezone.now()
    meta = model._meta
    pk = meta.pk
    concrete = meta.concrete_fields
    for field in concrete:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objs:
                setattr(obj, field.attname, now)
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, pk.column, len(objs)],
        )
        for obj, (new_id,) in zip(objs, cursor.fetchall(), strict=True):
            setattr(obj, pk.attname, new_id)
            obj._state.adding = False
            obj._state.db = connection.alias
        attnames = [f.attname for f in concrete]
        _copy(
            cursor,
            meta.db_table,
            concrete,
            ([getattr(o, a) for a in attnames] for o in objs),
        )
        table, columns, rows = _history_rows(
            model, objs, history_type="+", user=user, change_reason=change_reason, now=now
        )
        _copy(cursor, table, columns, rows)


def _copy_update(model, objs, fields: list[str], *, user, change_reason: str, now) -> None:
    meta = model._meta
    for obj in objs:
        obj._prepare_related_fields_for_save(
            operation_name="bulk_update", fields=[meta.get_field(f) for f in fields]
        )
    pk = meta.pk
    changed = [meta.get_field(name) for name in fields]
    temp = f"import_update_{meta.db_table}"
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {quote(temp)} AS "
            f"SELECT {', '.join(quote(f.column) for f in [pk, *changed])} FROM {quote(meta.db_table)} WITH NO DATA"
        )
        attnames = [pk.attname, *(f.attname for f in changed)]
        _copy(
            cursor,
            temp,
            [pk, *changed],
            ([getattr(o, a) for a in attnames] for o in objs),
        )
        assignments = ", ".join(f"{quote(f.column)} = s.{quote(f.column)}" for f in changed)
        cursor.execute(
            f"UPDATE {quote(meta.db_table)} AS t SET {assignments} FROM {quote(temp)} AS s "
            f"WHERE t.{quote(pk.column)} = s.{quote(pk.column)}"
        )
        cursor.execute(f"DROP TABLE {quote(temp)}")
        table, columns, rows = _history_rows(
            model, objs, history_type="~", user=user, change_reason=change_reason, now=now
        )
        _copy(cursor, table, columns, rows)
