"""Annual figures import (年度经营数据批量导入): one row per enterprise and fiscal year."""

from __future__ import annotations

import dataclasses
import json
from array import array
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import connection, models, transaction
from django.db.models import F, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from xinzhi.accounts.models import User
from xinzhi.core.audit import COMPACT_FIELDS, register_compact_fields
from xinzhi.core.exceptions import ApplicationError
from xinzhi.core.limits import limited, limits_for
from xinzhi.core.middleware import client_ip
from xinzhi.core.models import AuditEvent
from xinzhi.enterprises.hooks import notify_enterprises_changed
from xinzhi.enterprises.models import AnnualFigures, Enterprise
from xinzhi.enterprises.selectors import bound_in
from xinzhi.enterprises.services import FIGURE_FIELDS, figures_errors
from xinzhi.enterprises.validators import credit_code_problem, normalize_credit_code
from xinzhi.spreadsheets.export import Column
from xinzhi.spreadsheets.importing import (
    ImportColumn,
    ImportResult,
    RowError,
    parse_count,
    parse_money,
    parse_signed_money,
    parse_text,
    read_rows,
)

COUNT_FIELDS = {"employees", "tech_staff", "rd_staff"}
SIGNED_FIELDS = {"net_assets", "net_profit"}


def _label(name: str) -> str:
    field = AnnualFigures._meta.get_field(name)
    unit = "" if name in COUNT_FIELDS else "（万元）"
    return f"{field.verbose_name}{unit}"


def _credit_code(value: Any) -> str:
    # A code as typed (18 ASCII letters and digits) is already in its compact form.
    if value.__class__ is str and len(value) == 18 and value.isascii() and value.isalnum():
        return value.upper()
    return normalize_credit_code(parse_text(value)).upper()


def figure_columns() -> list[ImportColumn]:
    columns = [
        ImportColumn(
            "统一社会信用代码",
            "credit_code",
            _credit_code,
            required=True,
        ),
        ImportColumn("企业名称", "name", parse_text),
        ImportColumn("年度", "year", parse_count, required=True),
    ]
    for name in FIGURE_FIELDS:
        parser = (
            parse_count
            if name in COUNT_FIELDS
            else (parse_signed_money if name in SIGNED_FIELDS else parse_money)
        )
        field = AnnualFigures._meta.get_field(name)
        columns.append(ImportColumn(_label(name), name, _quick(field, parser)))
    return columns


CENTS = Decimal("0.01")


def _quick(field: models.Field, parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`limited(field, parse)` with a fast path for the usual cell: a number cell's text whose
    value is plainly within the field's limits, parsed in one call instead of four (the cell
    parsers were a third of a commit's CPU). Anything else, and every refusal with its Chinese
    message, goes through `limited(field, parse)`, which gives the same value when it accepts."""
    general = limited(field, parse)
    limits = limits_for(field)
    if limits is None:
        return general
    low = Decimal(0) if parse in (parse_money, parse_count) else None
    if limits.minimum is not None:
        low = limits.minimum if low is None else max(low, limits.minimum)
    high = limits.maximum
    if limits.integer_digits is not None:
        top = Decimal(10) ** limits.integer_digits - CENTS
        high = top if high is None else min(high, top)
    low = Decimal("-Infinity") if low is None else low
    high = Decimal("Infinity") if high is None else high
    if parse is parse_count:

        def quick_count(value: Any) -> Any:
            if value.__class__ is str:
                try:
                    number = int(value)
                except ValueError:
                    return general(value)
                if low <= number <= high:
                    return number
            return general(value)

        return quick_count
    if parse not in (parse_money, parse_signed_money) or (limits.decimal_places or 0) < 2:
        return general

    def quick_amount(value: Any) -> Any:
        if value.__class__ is str:
            try:
                number = Decimal(value).quantize(CENTS)  # parse_money's rounding to cents
            except InvalidOperation:
                return general(value)
            if number.is_finite() and low <= number <= high:
                return number
        return general(value)

    return quick_amount


@dataclasses.dataclass(slots=True)
class EnterpriseChange:
    """One enterprise the import creates or changes years of (本次导入涉及的企业)."""

    enterprise_id: int
    name: str
    credit_code: str
    created_years: list[int] = dataclasses.field(default_factory=list)
    updated_years: list[int] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class FiguresImportResult(ImportResult):
    unchanged: int = 0  # rows whose values equal what is stored: nothing to write
    enterprise_count: int = 0  # enterprises whose years are created or changed
    # The first KEPT_CHANGES of them with their years (all of them would grow with the file).
    enterprises: list[EnterpriseChange] = dataclasses.field(default_factory=list)


def template_columns() -> list[Column]:
    return [Column(c.header, lambda row, f=c.field: row.get(f), 16) for c in figure_columns()]


def _visible_codes(actor: User, codes: list[str]) -> dict[str, tuple[int, int, str]]:
    found: dict[str, tuple[int, int, str]] = {}
    for start in range(0, len(codes), CHUNK):
        rows = (
            Enterprise.objects.visible_to(actor)
            .filter(credit_code__in=bound_in(codes[start : start + CHUNK]))
            .values_list("credit_code", "id", "jurisdiction_id", "name")
        )
        found.update({code: (pk, jurisdiction, name) for code, pk, jurisdiction, name in rows})
    return found


KEPT_CHANGES = 1000
# Rows validated and written together: one query per chunk for the enterprises, one for the
# stored years, a few batched writes. Memory then depends on the chunk, not on the file.
CHUNK = 2000
Row = tuple[int, int, int, dict[str, Any]]  # (spreadsheet row, enterprise id, year, figures)


def figures_import(
    *,
    actor: User,
    data: bytes,
    dry_run: bool,
    progress: Callable[..., None] | None = None,
) -> FiguresImportResult:
    """Validate every row, then write all of them or none (所有行校验通过才写入).

    A cell left empty keeps the stored value; a column absent from the file is not touched.
    One streaming pass over the file, checking chunk by chunk against the stored values
    (memory follows the chunk, not the file). A dry run only checks, outside any transaction,
    calling `progress(rows_read)` after each chunk (it may raise to stop: `jobs.Progress`).
    A commit calls `progress(0, writing=True)` first — from then on it cannot be cancelled —
    and checks and writes each chunk in one transaction: after the first failing row it
    stops writing but checks the rest, so every problem is reported, and the transaction is
    rolled back. A file with a late error thus costs the writes before it, not a second pass.
    Progress is not stored inside the transaction: nobody could read it before the commit,
    and on PostgreSQL the job row would stay locked against the owner's page.
    """
    if not actor.can_edit_enterprises:
        raise ApplicationError("当前角色只能查看，不能导入数据。", code="forbidden")
    if dry_run:
        run = _import_pass(actor, data, write=False, progress=progress)
    else:
        if progress:
            progress(0, writing=True)
        with transaction.atomic():
            run = _import_pass(actor, data, write=True, progress=None)
            if run.result.errors:
                transaction.set_rollback(True)
            elif run.enterprise_count:
                _audit_import(actor, run.result)
                notify_enterprises_changed(run.changed_ids())
        if progress:
            progress(run.result.rows, writing=True)
    result = run.result
    result.dry_run = dry_run
    for change in run.changes.values():
        change.created_years.sort()
        change.updated_years.sort()
    result.enterprises = list(run.changes.values())
    result.enterprise_count = run.enterprise_count
    result.errors.sort(key=lambda e: (e.row, e.column))
    return result


def _import_pass(
    actor: User, data: bytes, *, write: bool, progress: Callable[..., None] | None
) -> _ImportRun:
    """Read and check the whole file once; write its chunks when `write` (caller's transaction)."""
    run = _ImportRun(actor, FiguresImportResult(dry_run=not write))
    result = run.result
    chunk: list[tuple[int, dict[str, Any]]] = []
    for number, values, errors in read_rows(data, figure_columns()):
        result.rows += 1
        if errors:
            result.errors.extend(errors)
        else:
            chunk.append((number, values))
        if len(chunk) == CHUNK:
            run.add(chunk)
            chunk = []
            if progress:
                progress(result.rows)
    run.add(chunk)
    return run


class _ImportRun:
    """The state one import keeps across chunks: what it has seen and what it changes."""

    def __init__(self, actor: User, result: FiguresImportResult) -> None:
        self.actor = actor
        self.result = result
        self.this_year = timezone.localdate().year
        # Per year, each enterprise's first row (0: none yet), indexed by enterprise id, and
        # a flag per enterprise the import changes: memory follows the enterprise table's ids
        # (400 KB per year at 100k), not the file's rows, as a dict per row would.
        self.first_rows: dict[int, array] = {}
        self.changed_flags = bytearray()
        self.enterprise_count = 0
        self.changes: dict[int, EnterpriseChange] = {}  # the first KEPT_CHANGES, in file order
        self.now_db = connection.ops.adapt_datetimefield_value(timezone.now())
        # What every row's audit event shares; the note and the address are said once, by
        # the import's own event (`_audit_import`).
        self.event = {
            "created_at": self.now_db,
            "actor_id": actor.pk,
            "actor_name": actor.display_name,
            "action": AuditEvent.Action.IMPORT.value,
            "object_type": "enterprises.annualfigures",
            "note": "",
            "ip_address": None,
        }
        # The audit's changes column is JSON text on every database (core.models.JSONTextField).
        self.json: Callable[[dict], str] = json.JSONEncoder(separators=(",", ":")).encode

    def first_row(self, enterprise_id: int, year: int, number: int) -> int:
        """The row that had this enterprise and year before (0: none); records `number`."""
        rows = self.first_rows.get(year)
        if rows is None:
            rows = self.first_rows[year] = array("I")
        if enterprise_id >= len(rows):
            rows.frombytes(bytes(4 * (enterprise_id + 1 - len(rows) + 4096)))
        first = rows[enterprise_id]
        if not first:
            rows[enterprise_id] = number
        return first

    def changed(
        self, enterprise_id: int, year: int, *, created: bool, names: dict[int, tuple[str, str]]
    ) -> None:
        flags = self.changed_flags
        if enterprise_id >= len(flags):
            flags.extend(bytes(enterprise_id + 1 - len(flags) + 4096))
        if not flags[enterprise_id]:
            flags[enterprise_id] = 1
            self.enterprise_count += 1
            if len(self.changes) < KEPT_CHANGES:
                code, name = names[enterprise_id]
                self.changes[enterprise_id] = EnterpriseChange(enterprise_id, name, code)
        change = self.changes.get(enterprise_id)
        if change is not None:
            (change.created_years if created else change.updated_years).append(year)

    def changed_ids(self) -> list[int]:
        return [i for i, flag in enumerate(self.changed_flags) if flag]

    def add(self, parsed: list[tuple[int, dict[str, Any]]]) -> None:
        """Check one chunk of parsed rows; write it while no row of the file has failed."""
        if not parsed:
            return
        result = self.result
        targets = _visible_codes(self.actor, sorted({v["credit_code"] for _, v in parsed}))
        rows: list[Row] = []
        for number, values in parsed:
            code, year = values["credit_code"], values["year"]
            target = targets.get(code)
            if target is None:
                problem = credit_code_problem(code)
                message = (
                    f"{code}：{problem}"
                    if problem
                    else f"{code} 未在企业库登记，或不在您的管辖范围内"
                )
                result.errors.append(RowError(number, "统一社会信用代码", message))
                continue
            if not 1990 <= year <= self.this_year:
                result.errors.append(
                    RowError(number, "年度", f"年度应在1990至{self.this_year}之间")
                )
                continue
            first = self.first_row(target[0], year, number)
            if first:
                result.errors.append(
                    RowError(number, "年度", f"与第{first}行重复（同一企业同一年度）")
                )
                continue
            figures = {k: v for k, v in values.items() if k in FIGURE_FIELDS and v is not None}
            rows.append((number, target[0], year, figures))
        existing = _existing(rows)
        for number, enterprise_id, year, figures in rows:
            # Check the row as it will be stored: empty cells keep the current values.
            stored = existing.get((enterprise_id, year))
            merged = {**stored[1], **figures} if stored else figures
            for field, message in figures_errors(merged).items():
                result.errors.append(RowError(number, _label(field), message))
        names = {pk: (code, name) for code, (pk, _j, name) in targets.items()}
        jurisdictions = {pk: j for pk, j, _name in targets.values()}
        new: list[dict[str, Any]] = []
        changed: dict[tuple[str, ...], list[list[Any]]] = {}  # changed fields → UPDATE params
        events: list[dict[str, Any]] = []
        write = not (result.errors or result.dry_run)
        for _number, enterprise_id, year, figures in rows:
            stored = existing.get((enterprise_id, year))
            if stored is None:
                if write:
                    new.append({"enterprise_id": enterprise_id, "year": year, **figures})
                # A new row's values in the registered order, without a key each.
                values = [
                    _audit_value(figures[name]) if name in figures else None for name in AUDIT_ORDER
                ]
                while values and values[-1] is None:
                    values.pop()
                changes = {"+": values}
                result.created += 1
            else:
                pk, before = stored
                changes = {
                    AUDIT_KEYS[name]: [_audit_value(before[name]), _audit_value(value)]
                    for name, value in figures.items()
                    if before[name] != value
                }
                if not changes:
                    result.unchanged += 1
                    continue
                if write:
                    names_changed = tuple(n for n, v in figures.items() if before[n] != v)
                    changed.setdefault(names_changed, []).append(
                        [*(figures[n] for n in names_changed), self.now_db, pk]
                    )
                result.updated += 1
            self.changed(enterprise_id, year, created=stored is None, names=names)
            if write:
                events.append(
                    {
                        "enterprise_id": enterprise_id,
                        "jurisdiction_id": jurisdictions[enterprise_id],
                        # The year alone: the enterprise is `enterprise_id`. The few distinct
                        # values share one entry of the (object_type, object_id) index, which
                        # PostgreSQL then deduplicates instead of storing ~50 B per row.
                        "object_id": str(year),
                        "object_repr": f"{year}年度经营数据",
                        # Only the changed fields, [before, after] or a new row's value, under
                        # short keys (core.audit.COMPACT_FIELDS): ~40 % of the named form.
                        "changes": self.json({"~": AUDIT_FIELDS, **changes}),
                    }
                )
        if not write:
            return
        now = self.now_db
        _insert(AnnualFigures, new, {"created_at": now, "updated_at": now})
        for fields, params in changed.items():
            _update_rows(fields, params)
        _insert(AuditEvent, events, self.event)


def _audit_import(actor: User, result: FiguresImportResult) -> None:
    """The import's own audit event: who, from where, how many rows (each row has its own)."""
    AuditEvent.all_objects.create(
        actor=actor,
        actor_name=actor.display_name,
        action=AuditEvent.Action.IMPORT,
        object_type="enterprises.annualfigures",
        object_id="",
        object_repr="年度经营数据批量导入",
        note=f"Excel 批量导入：新增 {result.created} 条、修改 {result.updated} 条",
        ip_address=client_ip(),
    )


# The audit's short keys: indexes into this tuple, frozen as registered (a field added to
# FIGURE_FIELDS needs a new name and tuple here, so older events keep reading right).
AUDIT_FIELDS = "fig1"
register_compact_fields(
    AUDIT_FIELDS,
    (
        "employees",
        "tech_staff",
        "rd_staff",
        "revenue",
        "main_revenue",
        "total_income",
        "hightech_revenue",
        "rd_expense",
        "rd_expense_domestic",
        "total_cost",
        "total_assets",
        "total_liabilities",
        "net_assets",
        "net_profit",
    ),
)
AUDIT_KEYS = {name: str(i) for i, name in enumerate(COMPACT_FIELDS[AUDIT_FIELDS])}
AUDIT_ORDER = COMPACT_FIELDS[AUDIT_FIELDS]


def _audit_value(value: Decimal | int | None) -> Decimal | int | float | str | None:
    """A figure for the audit JSON: an amount as a JSON number when a double holds it exactly
    (up to 15 significant digits: 150.5, not "150.50"), else as its decimal text."""
    if value.__class__ is not Decimal:
        return value
    # The usual amount, without building its digit tuple: a whole number below 10^15, or one
    # with at most two decimals (n / d in lowest terms, d dividing 100) below 10^13.
    if value.is_finite():
        n, d = value.as_integer_ratio()
        if d == 1 and -WHOLE_15 < n < WHOLE_15:
            return n
        if 100 % d == 0 and -WHOLE_13 * d < n < WHOLE_13 * d:
            return float(value)
    number = value.normalize()
    _sign, digits, exponent = number.as_tuple()
    if len(digits) > 15 or not isinstance(exponent, int):
        return format(number, "f")
    return int(number) if exponent >= 0 else float(number)


WHOLE_15, WHOLE_13 = 10**15, 10**13


def _existing(rows: list[Row]) -> dict[tuple[int, int], tuple[int, dict[str, Any]]]:
    """(enterprise, year) → (row id, stored figures) of the rows' stored years, as plain values."""
    if not rows:
        return {}
    wanted = {(e, y) for _, e, y, _v in rows}
    found = {}
    stored = AnnualFigures.all_objects.filter(
        enterprise_id__in=bound_in(sorted({e for e, _y in wanted})),
        year__in=sorted({y for _e, y in wanted}),
    ).values_list("id", "enterprise_id", "year", *STORED_FIGURES)
    decimal, fields = Decimal, FIGURE_FIELDS
    for pk, enterprise_id, year, *values in stored:
        if (enterprise_id, year) in wanted:
            # Amounts from their text, inline (a call per value cost more than the query).
            values = [
                v if v is None or not money else decimal(v)
                for v, money in zip(values, IS_MONEY, strict=True)
            ]
            if not all(v is None or v.__class__ is int or v.is_finite() for v in values):
                values = [_finite(v) for v in values]
            found[(enterprise_id, year)] = (pk, dict(zip(fields, values, strict=True)))
    return found


# Amounts read as text and parsed with Decimal(str): exact, and much cheaper than the ORM's
# float-to-Decimal converter on SQLite (the same as the eligibility facts reader).
MONEY = frozenset(FIGURE_FIELDS) - COUNT_FIELDS
STORED_FIGURES = tuple(
    Cast(F(name), TextField()) if name in MONEY else name for name in FIGURE_FIELDS
)


IS_MONEY = tuple(name in MONEY for name in FIGURE_FIELDS)


def _finite(value: Decimal | int | None) -> Decimal | int | None:
    """A stored NaN or infinity (SQLite keeps what it is given) reads as empty."""
    return None if value.__class__ is Decimal and not value.is_finite() else value


def _insert(model: type[models.Model], rows: list[dict[str, Any]], common: dict) -> None:
    """INSERT many rows with one executemany: `bulk_create` compiles every value through the
    ORM, which cost more than the rest of the import. Values are database-ready already; a
    column given by neither the row nor `common` gets its field's default."""
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    # Table and column names come from the model, never from the uploaded file.
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    defaults = {f.attname: common.get(f.attname, f.get_default()) for f in fields}
    names = [f.attname for f in fields]
    params = [[row.get(name, defaults[name]) for name in names] for row in rows]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: several times cheaper than executemany for the server and the client.
            columns = ", ".join(quote(f.column) for f in fields)
            with cursor.cursor.copy(
                f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
            ) as copy:
                for values in params:
                    copy.write_row(values)
        else:
            cursor.executemany(sql, params)


def _update_rows(fields: tuple[str, ...], params: list[list[Any]]) -> None:
    """Write the rows whose changed fields are `fields`: each params row is their new values,
    then `updated_at`, then the row's id. Only those fields are written, so a field the file
    leaves alone keeps whatever another user saved meanwhile.

    On PostgreSQL one UPDATE joins the rows passed as arrays (a statement per row cost a
    server round of parse, plan and execute each: half the commit's time); on SQLite, which
    runs in-process, one parameterised UPDATE per row via executemany. `bulk_update` builds
    CASE expressions that grow with the batch: at 20k rows on SQLite it took about a minute.
    """
    quote = connection.ops.quote_name
    table = quote(AnnualFigures._meta.db_table)
    columns = [quote(AnnualFigures._meta.get_field(name).column) for name in fields]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            types = [AnnualFigures._meta.get_field(name).db_type(connection) for name in fields]
            arrays = [list(values) for values in zip(*params, strict=True)]
            ids, updated_at = arrays[-1], params[0][-2]
            # Column names and types come from the model, never from the uploaded file.
            sql = (
                f"UPDATE {table} AS stored SET "  # noqa: S608
                + ", ".join(f"{c} = given.{c}" for c in columns)
                + ", updated_at = %s FROM unnest("
                + ", ".join(f"%s::{t}[]" for t in (*types, "bigint"))
                + ") AS given("
                + ", ".join((*columns, "id"))
                + ") WHERE stored.id = given.id"
            )
            cursor.execute(sql, [updated_at, *arrays[: len(fields)], ids])
            return
        assignments = ", ".join(f"{c} = %s" for c in (*columns, quote("updated_at")))
        sql = f"UPDATE {table} SET {assignments} WHERE id = %s"  # noqa: S608
        cursor.executemany(sql, params)
