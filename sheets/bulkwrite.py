"""Writing many rows and their history rows fast.

On PostgreSQL new rows and updates go through COPY (ids drawn from the table's sequence in one query),
formatted column by column; Django's bulk_create spends most of its time preparing each value of each
row in Python, which caps an import far below what the database can take. Their history rows
(django-simple-history's columns) are then made by the database from the rows just written, one
INSERT … SELECT, rather than streamed from Python a second time. Elsewhere (SQLite: the quick start)
simple_history's bulk_create_with_history / bulk_update_with_history do the same job.

Only the column types of the ten templates' models are formatted here (text, dates, datetimes,
booleans, integers, decimals, foreign keys); a model with anything else falls back to the ORM path.
"""

from __future__ import annotations

import io
from operator import attrgetter

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
        _copy_insert(model, objs, user=user, change_reason=change_reason, db=connection)
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
        _copy_update(model, objs, fields, user=user, change_reason=change_reason, now=now, db=connection)
    else:
        bulk_update_with_history(
            objs, model, fields, batch_size=BATCH_SIZE, default_user=user, default_change_reason=change_reason
        )


# ---------------------------------------------------------------- PostgreSQL COPY


def copy_available(model) -> bool:
    """Whether `model`'s rows and history rows are written with COPY (PostgreSQL, supported columns),
    through nothing but the connection's cursor."""
    return _copy_available(model)


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


NULL = "\\N"


def _column_text(field, values: list) -> list[str]:
    """One column of COPY text, formatted column by column (one comprehension per column rather
    than a function call per value: a chunk of 2,000 persons has 40,000 values)."""
    if isinstance(field, models.CharField | models.TextField):
        joined = "".join([v for v in values if v is not None])
        if "\\" in joined or "\t" in joined or "\n" in joined or "\r" in joined:
            return [NULL if v is None else v.translate(_COPY_ESCAPES) for v in values]
        return [NULL if v is None else v for v in values]
    if isinstance(field, models.BooleanField):
        return [NULL if v is None else ("t" if v else "f") for v in values]
    if isinstance(field, models.DateField):  # dates, and aware datetimes alike
        # few distinct values (a file's dates repeat; created_at and updated_at are one instant)
        texts = {v: NULL if v is None else v.isoformat() for v in set(values)}
        return list(map(texts.__getitem__, values))
    if isinstance(field, models.DecimalField):
        return [NULL if v is None else format(v, "f") for v in values]
    return [NULL if v is None else str(v) for v in values]


def _copy(db, cursor, table: str, fields: list, objs: list) -> None:
    """COPY the `fields` (model fields, read by attname) of `objs` into `table`."""
    columns = [_column_text(field, list(map(attrgetter(field.attname), objs))) for field in fields]
    text = "\n".join(map("\t".join, zip(*columns, strict=True))) + "\n"
    quoted = ", ".join(db.ops.quote_name(field.column) for field in fields)
    # One read of the whole text, already in memory: psycopg2 otherwise reads it in 8 KB blocks.
    # copy_expert is psycopg2's own, past Django's cursor wrapper: its errors are turned into Django's
    # here (an IntegrityError, not psycopg2's UniqueViolation), as for any query, so that the
    # importer's `except DatabaseError` reports a conflict rather than the job failing.
    with db.wrap_database_errors:
        cursor.copy_expert(
            f"COPY {db.ops.quote_name(table)} ({quoted}) FROM STDIN", io.StringIO(text), size=len(text)
        )


def _copy_history(
    db, cursor, model, *, where: str, where_params: list, history_type: str, user, change_reason: str, now
) -> None:
    """The history rows of the records `where` (SQL about `t`, the model's table) selects, as
    simple_history writes them: their stored values, when, why, what and who. Built in the database
    from the rows themselves, in the order of their ids."""
    quote = db.ops.quote_name
    history = model.history.model
    constants = {
        "history_date": now,
        "history_change_reason": change_reason,
        "history_type": history_type,
        "history_user_id": user.pk if user is not None else None,
    }
    own = {f.attname: f.column for f in model._meta.concrete_fields}
    targets, selected, params = [], [], []
    for field in history._meta.concrete_fields:
        if field.attname == "history_id":
            continue
        targets.append(quote(field.column))
        if field.attname in constants:
            selected.append("%s")
            params.append(constants[field.attname])
        else:
            selected.append(f"t.{quote(own[field.attname])}")
    pk = quote(model._meta.pk.column)
    cursor.execute(
        f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(targets)}) "
        f"SELECT {', '.join(selected)} FROM {quote(model._meta.db_table)} AS t "
        f"WHERE {where} ORDER BY t.{pk}",
        [*params, *where_params],
    )


def _prepare_related(model, objs: list, **kwargs) -> None:
    """Django's check before a bulk write (a related object saved since it was assigned gives its id;
    an unsaved one is an error), for the objects that may need it: those with an empty relation id."""
    attnames = [f.attname for f in model._meta.concrete_fields if f.is_relation]
    if not attnames:
        return
    single = len(attnames) == 1
    for obj, ids in zip(objs, map(attrgetter(*attnames), objs), strict=True):
        if ids is None if single else None in ids:
            obj._prepare_related_fields_for_save(**kwargs)


def _copy_insert(model, objs, *, user, change_reason: str, db) -> None:
    now = timezone.now()
    meta = model._meta
    pk = meta.pk
    concrete = meta.concrete_fields
    for field in concrete:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objs:
                setattr(obj, field.attname, now)
    _prepare_related(model, objs, operation_name="bulk_create")
    with db.cursor() as cursor:
        # The sequence looked up once (a scalar subquery runs once): nextval(pg_get_serial_sequence(…))
        # looked it up and cast its name for every id, 0.2 s of 50,000 persons.
        cursor.execute(
            "SELECT nextval((SELECT pg_get_serial_sequence(%s, %s)::regclass)) FROM generate_series(1, %s)",
            [meta.db_table, pk.column, len(objs)],
        )
        ids = [new_id for (new_id,) in cursor.fetchall()]
        for obj, new_id in zip(objs, ids, strict=True):
            setattr(obj, pk.attname, new_id)
            obj._state.adding = False
            obj._state.db = db.alias
        _copy(db, cursor, meta.db_table, concrete, objs)
        _copy_history(
            db,
            cursor,
            model,
            where=f"t.{db.ops.quote_name(pk.column)} = ANY(%s)",
            where_params=[ids],
            history_type="+",
            user=user,
            change_reason=change_reason,
            now=now,
        )


def _copy_update(model, objs, fields: list[str], *, user, change_reason: str, now, db) -> None:
    meta = model._meta
    _prepare_related(model, objs, operation_name="bulk_update", fields=[meta.get_field(f) for f in fields])
    pk = meta.pk
    changed = [meta.get_field(name) for name in fields]
    temp = f"import_update_{meta.db_table}"
    quote = db.ops.quote_name
    with db.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {quote(temp)} AS "
            f"SELECT {', '.join(quote(f.column) for f in [pk, *changed])} FROM {quote(meta.db_table)} WITH NO DATA"
        )
        _copy(db, cursor, temp, [pk, *changed], objs)
        assignments = ", ".join(f"{quote(f.column)} = s.{quote(f.column)}" for f in changed)
        cursor.execute(
            f"UPDATE {quote(meta.db_table)} AS t SET {assignments} FROM {quote(temp)} AS s "
            f"WHERE t.{quote(pk.column)} = s.{quote(pk.column)}"
        )
        _copy_history(
            db,
            cursor,
            model,
            where=f"t.{quote(pk.column)} IN (SELECT {quote(pk.column)} FROM {quote(temp)})",
            where_params=[],
            history_type="~",
            user=user,
            change_reason=change_reason,
            now=now,
        )
        cursor.execute(f"DROP TABLE {quote(temp)}")
