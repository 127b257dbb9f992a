"""The base of the import-export resources.

A resource (in `<app>/resources.py`) is the single definition of a template: its columns (Chinese
headers, widgets, required or not), its natural key, how its rows are scoped to a street, and which
FilterSet its exports apply. The admin's import/export (row by row, django-import-export's own
machinery), the bulk importer (sheets/engine.py), the blank templates and the exports all read it.
Which resources the portal offers, under which names, is the imports feature's list
(imports/resources.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, models
from django.db.models.fields import NOT_PROVIDED
from import_export import resources
from import_export.fields import Field

from core.roles import OTHER_STREET_MESSAGE, sees_all_streets
from core.scoping import ensure_may_change
from sheets.widgets import DateWidget, PortalWidget, RelationWidget, StreetWidget


class PortalField(Field):
    """A template column: its Chinese header, whether it is required and how to fill it in."""

    def __init__(
        self,
        attribute: str,
        column_name: str,
        widget: PortalWidget,
        *,
        required: bool = False,
        rule: str = "",
        required_note: str = "",
        width: int = 14,
        **kwargs: Any,
    ) -> None:
        super().__init__(attribute=attribute, column_name=column_name, widget=widget, **kwargs)
        self.required = required
        self.rule = rule or widget.rule
        self.required_note = required_note
        self.width = width

    @property
    def is_relation(self) -> bool:
        return isinstance(self.widget, RelationWidget)


def values_where_in(queryset: models.QuerySet, attname: str, values: list, names: list[str]) -> list[tuple]:
    """`queryset.values_list(*names)` of the rows whose `attname` is one of `values`, in one query.

    On PostgreSQL the values travel as one array parameter (`= ANY(%s)`) rather than an IN list of
    thousands (Django prepares each value of an IN list: a tenth of a second per 50,000 keys), and
    the rows come straight from the cursor (plain columns need no conversion there). Elsewhere, IN.
    """
    queryset = queryset.values_list(*names)
    if connection.vendor != "postgresql":
        return list(queryset.filter(**{f"{attname}__in": values}))
    quote = connection.ops.quote_name
    model = queryset.model
    column = model._meta.get_field(attname).column
    where = f"{quote(model._meta.db_table)}.{quote(column)} = ANY(%s)"
    sql, params = queryset.extra(where=[where], params=[list(values)]).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def period_fields() -> tuple[PortalField, PortalField]:
    """开始日期 and 结束日期 of a record that runs from a day to an optional last day (trainings,
    employments, placements, projects): the same two columns in every template that has them."""
    return (
        PortalField("start_date", "开始日期", DateWidget(), required=True, width=12),
        PortalField("end_date", "结束日期", DateWidget(), rule="日期，不早于开始日期", width=12),
    )


class PortalResource(resources.ModelResource):
    """What every template shares. Subclasses declare PortalFields and set:

    - `import_name` / `import_title`: the name used in URLs and by `import_excel`, and its label;
    - `scope_via`: where a row's street comes from: "street" (the record's own street: persons,
      care homes), or the relation holding it ("person" for service records, "home" for projects);
    - `filterset_class`: the list page's FilterSet applied to exports (None: no filtering);
    - `export_select_related`: relations an export reads;
    - `change_display`: how an update's change log shows a field's values, by field name (a bank
      account masked), beside the generic rendering of codes, dates and related records.
    """

    import_name: ClassVar[str] = ""
    import_title: ClassVar[str] = ""
    scope_via: ClassVar[str] = "person"
    # A row whose cleaned cells equal its stored record is unchanged without building the record,
    # running the model's clean() or check_rules again (django-import-export's skip_unchanged does
    # the same); False for a template whose existing records are themselves an error.
    skip_unchanged_rows: ClassVar[bool] = True
    filterset_class: ClassVar[type | None] = None
    export_select_related: ClassVar[tuple[str, ...]] = ()
    change_display: ClassVar[dict[str, Callable[[str], str]]] = {}

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    # ---- declarations read by the bulk importer, the templates and the exports ----

    @classmethod
    def portal_fields(cls) -> list[PortalField]:
        """The template's columns, in the order of Meta.fields (the spec's order)."""
        order = cls._meta.fields or list(cls.fields)
        return [cls.fields[name] for name in order if isinstance(cls.fields.get(name), PortalField)]

    @classmethod
    def key_attributes(cls) -> list[str]:
        return [cls.fields[name].attribute for name in cls._meta.import_id_fields]

    @classmethod
    def column_of(cls, attribute: str) -> str | None:
        for field in cls.portal_fields():
            if field.attribute == attribute:
                return field.column_name
        return None

    @classmethod
    def scope_column(cls) -> str:
        attribute = "street" if cls.scope_via == "street" else cls.scope_via
        return cls.column_of(attribute) or ""

    @classmethod
    def model(cls) -> type[models.Model]:
        return cls._meta.model

    @classmethod
    def empty_value(cls, attribute: str):
        """What an empty optional cell stores: the model field's default, else NULL or ""."""
        field = cls.model()._meta.get_field(attribute)
        if field.has_default() and field.default is not NOT_PROVIDED:
            return field.get_default()
        return None if field.null else ""

    def export_queryset(self, user=None) -> models.QuerySet:
        queryset = self.model().objects.all()
        if user is not None:
            queryset = queryset.for_user(user)
        if self.export_select_related:
            queryset = queryset.select_related(*self.export_select_related)
        return queryset

    # ---- hooks of the bulk importer (sheets/engine.py) ----

    def existing_queryset(self) -> models.QuerySet:
        """Where existing records are looked up by natural key (relations clean() reads included)."""
        return self.model()._default_manager.all()

    def prepare_rows(self, rows: list, context) -> None:
        """Resolve what depends on several columns of a row (e.g. a community under its street).
        `rows` holds ParsedRow objects; add errors through `context.error`."""

    def adjust_instance(self, instance: models.Model, values: dict, is_new: bool) -> None:
        """Last touches before `clean()` (e.g. a certificate number to derive again)."""

    def before_write(self, context) -> None:
        """Create what rows of the chunk refer to and does not exist yet (new communities)."""

    def write(self, creates: list, updates: list, fields: list[str], context) -> bool:
        """Write the chunk's records through the domain's services instead of the bulk writer
        (True), for a model whose rows are more than one table (an application and its first step).
        Default: False, the bulk writer writes."""
        return False

    def same_as_stored(self, attribute: str, value, stored, values: dict) -> bool:
        """Whether a cleaned cell that differs from the stored value still leaves the record as it
        is (a value derived when its cell is empty, a masked account kept): asked by the bulk
        importer's shortcut for unchanged rows. `values` holds the row's cleaned values."""
        return False

    def check_rules(self, instance: models.Model, previous: dict | None) -> None:
        """The domain's rules beyond the model's `clean()` that its services enforce (a placement
        starts while its home operates...): call the very function the service calls and let its
        ValidationError out. `previous` holds an existing record's stored values by attname (None
        for a new record). Both import paths call it: the bulk importer and the admin's."""

    def after_rows(
        self,
        updated: list[tuple[int | None, models.Model, dict]],
        *,
        acting_user,
        dry_run: bool,
        warn: Callable[[int | None, str | None, str], None],
    ) -> None:
        """What the services do after saving a changed record (a closed home ends what runs there).
        `updated` holds (row number, instance, previous values by attname) of changed records; it is
        called after they were written, or in a preview (`dry_run`) instead of writing. `warn(row,
        column, message)` adds a warning to the report."""

    @classmethod
    def existing_elsewhere_error(cls) -> tuple[str, str] | None:
        """(column, message) for a clerk's row of his own street whose key addresses a record of another
        street; None: the scope message alone."""
        return None

    @classmethod
    def street_id_of(cls, instance: models.Model) -> int | None:
        if cls.scope_via == "street":
            return instance.street_id
        related = getattr(instance, cls.scope_via)
        return related.street_id if related is not None else None

    # ---- django-import-export's row-by-row path (the Django admin) ----

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        # All or nothing here too: one invalid row rolls the whole file back.
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(dataset, dry_run, raise_errors, use_transactions, **kwargs)

    def before_import(self, dataset, **kwargs):
        self._acting_user = kwargs.get("user")
        super().before_import(dataset, **kwargs)

    def after_init_instance(self, instance, new, row, **kwargs):
        # The stored values, before the row's cells are set: scope and check_rules read them.
        self._previous = (
            None if new else {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}
        )
        super().after_init_instance(instance, new, row, **kwargs)

    def _out_of_scope(self, instance) -> bool:
        """A row the acting user may not write (core.scoping.ensure_may_change, the rule of every
        door): the record as the row makes it, and as stored. A record whose street is unknown (its
        person did not resolve) is out of scope too: it cannot be written."""
        user = getattr(self, "_acting_user", None)
        if user is None:
            return False
        try:
            street_id = self.street_id_of(instance)
        except (AttributeError, models.ObjectDoesNotExist):
            street_id = None
        if street_id is None:  # nothing a clerk could write; staff get the cell's own message
            return not sees_all_streets(user)
        return not may_change_row(user, instance, self.stored(instance, getattr(self, "_previous", None)))

    def stored(self, instance: models.Model, previous: dict | None) -> models.Model | None:
        """The existing record as stored, for the scope check, when the row may move it to another
        street (its own street column); None otherwise (the relation holding the street is part of
        the natural key, so the row cannot change it)."""
        if previous is None or self.scope_via != "street":
            return None
        return type(instance)(pk=instance.pk, street_id=previous["street_id"])

    def skip_row(self, instance, original, row, import_validation_errors=None):
        # An unchanged row is skipped silently: for another street's record that would confirm the
        # clerk's guess of its stored values. It goes on to validate_instance and its one message.
        if self._out_of_scope(instance):
            return False
        return super().skip_row(instance, original, row, import_validation_errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        if self._out_of_scope(instance):
            try:
                self.street_id_of(instance)
            except (AttributeError, models.ObjectDoesNotExist):
                if import_validation_errors:  # a person not found: the cell's own message says it
                    raise ValidationError(import_validation_errors) from None
            # Scope first and alone: no validation of another street's record (its messages would
            # tell the clerk about its stored values).
            raise ValidationError({NON_FIELD_ERRORS: [OTHER_STREET_MESSAGE]}) from None
        super().validate_instance(instance, import_validation_errors, validate_unique)
        self.check_rules(instance, getattr(self, "_previous", None))

    def do_instance_save(self, instance, is_create):
        user = getattr(self, "_acting_user", None)
        if user is not None:
            instance._history_user = user
        super().do_instance_save(instance, is_create)
        previous = getattr(self, "_previous", None)
        if not is_create and previous is not None:
            self.after_rows(
                [(None, instance, previous)], acting_user=user, dry_run=False, warn=lambda *args: None
            )


class StreetRecordResource(PortalResource):
    """A template of records with a street of their own (persons, care homes, cases, consultations,
    applications): the 所属街道 column, by which the rows are scoped."""

    scope_via = "street"

    street = PortalField("street", "所属街道", StreetWidget(), required=True)


def may_change_row(user, instance: models.Model, stored: models.Model | None) -> bool:
    """Whether `user` may write the row's record: `ensure_may_change` on it as the row makes it and,
    for an existing record the row may move, as stored."""
    try:
        ensure_may_change(user, instance)
        if stored is not None:
            ensure_may_change(user, stored)
    except ValidationError:
        return False
    return True
