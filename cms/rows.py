"""Model rows read by a statement written in SQL, built into instances as the ORM builds them.

The ORM's cost on a hot path is as much compiling the query as running it: a Wagtail page
read with `select_related` is a join of three tables and a hundred columns, compiled on every
request. `reader(Model)` works out once per worker, model and database the columns to select
(qualified by their tables), the tables to join (a page model's table and its parents'), and
the converters the ORM applies to each value (SQLite returns datetimes as text; JSON and
decimals are converted). A caller writes its statement around them, runs it on a
`repeated_cursor` (prepared on PostgreSQL), and `Reader.instance` gives the model instance the
ORM would have given, with `from_db` (so `_state` and deferred fields behave as usual).

`deferred` leaves fields out of the statement by type (StreamFields, say), `only` keeps the
fields named: the others are loaded on first access, one query each, as with the ORM's
`defer()`; `Reader.values` converts a row without building an instance.
"""

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import connections
from django.db.models import Field, Model


@dataclass(frozen=True)
class Reader:
    """How rows of `model` are selected and built (see the module's docstring)."""

    model: type[Model]
    select: str  # the columns, each qualified by its table
    tables: str  # the model's table, joined to its parents' tables on the primary key
    table: str  # the model's own table, quoted
    parents: str  # the joins of the parents' tables to the model's (empty for one table)
    names: tuple[str, ...]  # the attnames of the selected fields, in the statement's order
    converters: tuple[tuple[int, tuple[Callable, ...], object], ...]
    quoted: dict[str, str]  # field name or attname → its qualified, quoted column

    @property
    def width(self) -> int:
        return len(self.names)

    def column(self, name: str) -> str:
        """A field's qualified, quoted column, for a WHERE or a JOIN."""
        return self.quoted[name]

    def joined(self, on: str, *, kind: str = "INNER") -> str:
        """The JOIN clauses that add this model's tables to a statement, its primary key equal
        to `on` (a qualified column of the statement's other tables)."""
        return f"{kind} JOIN {self.table} ON {self.column('pk')} = {on}{self.parents}"

    def values(self, connection, row: Sequence) -> list:
        """`row` (this reader's columns, in order) as the ORM converts it."""
        return converted(connection, self.converters, row)

    def instance(self, connection, row: Sequence) -> Model:
        """The instance the ORM would build from `row` (this reader's columns, in order)."""
        return self.model.from_db(connection.alias, self.names, self.values(connection, row))


def converted(connection, converters, row: Sequence) -> list:
    """`row` with each (index, converter functions, column expression) of `converters`
    applied to its value, as the ORM applies them to a row it reads."""
    values = list(row)
    for index, functions, expression in converters:
        value = values[index]
        for function in functions:
            value = function(value, expression, connection)
        values[index] = value
    return values


def reader(
    model: type[Model],
    *,
    connection,
    deferred: tuple[type[Field], ...] = (),
    only: tuple[str, ...] = (),
) -> Reader:
    """The reader of `model`'s rows on `connection` (worked out once per worker): every
    concrete field but those of the `deferred` types, or `only` the fields named."""
    return _reader(model, deferred, only, connection.alias, connection.vendor)


@functools.cache
def _reader(
    model: type[Model],
    deferred: tuple[type[Field], ...],
    only: tuple[str, ...],
    alias: str,
    vendor: str,
) -> Reader:
    connection = connections[alias]
    quote = connection.ops.quote_name
    leaf = quote(model._meta.db_table)
    leaf_pk = f"{leaf}.{quote(model._meta.pk.column)}"
    parents = ""
    for parent in model._meta.get_parent_list():
        # Every table of a multi-table model holds the same primary key value.
        parent_table = quote(parent._meta.db_table)
        parents += (
            f" INNER JOIN {parent_table}"
            f" ON {parent_table}.{quote(parent._meta.pk.column)} = {leaf_pk}"
        )
    fields = [
        field
        for field in model._meta.concrete_fields
        if not isinstance(field, deferred or ()) and (not only or field.name in only)
    ]
    quoted: dict[str, str] = {"pk": leaf_pk}
    for field in model._meta.concrete_fields:  # selected or not: for WHERE and ORDER BY
        qualified = f"{quote(field.model._meta.db_table)}.{quote(field.column)}"
        quoted[field.name] = quoted[field.attname] = qualified
    converters = []
    for index, field in enumerate(fields):
        table = field.model._meta.db_table
        column = field.get_col(table)
        functions = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if functions:
            converters.append((index, tuple(functions), column))
    return Reader(
        model=model,
        select=", ".join(quoted[field.attname] for field in fields),
        tables=leaf + parents,
        table=leaf,
        parents=parents,
        names=tuple(field.attname for field in fields),
        converters=tuple(converters),
        quoted=quoted,
    )
