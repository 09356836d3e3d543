"""The 链主's purchasing list import (配套关系导入): one row per buyer, supplier, product and year.

Streams the file through the shared machinery (`spreadsheets.importing.read_rows`) and checks
it in chunks against scope, the file's own duplicates and the stored rows. A file is written
whole or not at all: the first pass only checks; only a clean file is read again and written in
one transaction (rolled back when a row now fails, e.g. data changed meanwhile).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from xinzhi.accounts import permissions
from xinzhi.accounts.models import User
from xinzhi.chains.models import Node, SupplyRelation
from xinzhi.core.audit import audit_record
from xinzhi.core.exceptions import ApplicationError
from xinzhi.core.limits import limited
from xinzhi.core.models import AuditEvent
from xinzhi.enterprises.models import Enterprise
from xinzhi.enterprises.validators import normalize_credit_code
from xinzhi.spreadsheets.export import Column
from xinzhi.spreadsheets.importing import (
    ImportColumn,
    ImportResult,
    RowError,
    parse_count,
    parse_money,
    parse_text,
    read_rows,
)

CHUNK = 2000


def _code(value: Any) -> str:
    return normalize_credit_code(parse_text(value)).upper()


def _bounded(name: str, limit: int) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = parse_text(value)
        if len(text) > limit:
            raise ValueError(f"{name}最多 {limit} 个字")
        return text

    return parse


def supply_columns() -> list[ImportColumn]:
    amount = SupplyRelation._meta.get_field("amount")
    return [
        ImportColumn("采购企业统一社会信用代码", "buyer_code", _code, required=True),
        ImportColumn("采购企业名称", "buyer_name", parse_text),
        ImportColumn("年度", "year", parse_count, required=True),
        ImportColumn("供应商名称", "supplier_name", _bounded("供应商名称", 120), required=True),
        ImportColumn("供应商统一社会信用代码", "supplier_code", _code),
        ImportColumn("供应商所在地", "supplier_region", _bounded("供应商所在地", 40)),
        ImportColumn("产业链", "chain", parse_text),
        ImportColumn("环节", "node", parse_text),
        ImportColumn("配套产品", "product", _bounded("配套产品", 80)),
        ImportColumn("年采购额（万元）", "amount", limited(amount, parse_money), required=True),
    ]


def template_columns() -> list[Column]:
    return [Column(c.header, lambda row, f=c.field: row.get(f, ""), 20) for c in supply_columns()]


@dataclass
class _Row:
    number: int
    values: dict[str, Any]


class _Run:
    """What one pass keeps across chunks: the file's keys seen so far and the nodes."""

    def __init__(self, actor: User, result: ImportResult, write: bool) -> None:
        self.actor, self.result, self.write = actor, result, write
        self.seen: dict[tuple, int] = {}
        self.this_year = timezone.localdate().year
        self.nodes = {(n.chain.name, n.name): n for n in Node.objects.select_related("chain").all()}

    def error(self, row: _Row, column: str, message: str) -> None:
        self.result.errors.append(RowError(row.number, column, message))

    def add(self, chunk: list[_Row]) -> None:
        if not chunk:
            return
        buyers = {
            e.credit_code: e
            for e in Enterprise.objects.visible_to(self.actor).filter(
                credit_code__in={r.values["buyer_code"] for r in chunk}
            )
        }
        supplier_codes = {r.values.get("supplier_code") for r in chunk} - {"", None}
        suppliers = {
            e.credit_code: e
            for e in Enterprise.objects.unscoped().filter(credit_code__in=supplier_codes)
        }
        ready: list[tuple[_Row, Enterprise, Enterprise | None, Node | None]] = []
        for row in chunk:
            v = row.values
            buyer = buyers.get(v["buyer_code"])
            if buyer is None:
                self.error(row, "采购企业统一社会信用代码", "在您的管辖范围内未找到该企业")
                continue
            if not 2000 <= v["year"] <= self.this_year:
                self.error(row, "年度", f"年度应在 2000~{self.this_year} 之间")
                continue
            supplier = None
            if v.get("supplier_code"):
                supplier = suppliers.get(v["supplier_code"])
                if supplier is None:
                    self.error(
                        row,
                        "供应商统一社会信用代码",
                        "该供应商不在企业库中；外地供应商请留空信用代码并填写所在地",
                    )
                    continue
            elif not v.get("supplier_region"):
                self.error(
                    row, "供应商所在地", "外地供应商请填写所在地（本地供应商请填写信用代码）"
                )
                continue
            node = None
            if v.get("chain") or v.get("node"):
                node = self.nodes.get((v.get("chain", ""), v.get("node", "")))
                if node is None:
                    self.error(row, "环节", f"未找到产业链环节“{v.get('chain')}·{v.get('node')}”")
                    continue
            name = supplier.name if supplier else v["supplier_name"]
            key = (buyer.pk, name, v["year"], v.get("product", ""))
            if key in self.seen:
                self.error(
                    row,
                    "供应商名称",
                    f"与第 {self.seen[key]} 行重复（同一企业、年度、供应商与产品）",
                )
                continue
            self.seen[key] = row.number
            ready.append((row, buyer, supplier, node))
        existing = {
            (s.buyer_id, s.supplier_name, s.year, s.product): s
            for s in SupplyRelation.all_objects.filter(
                buyer_id__in={b.pk for _, b, _, _ in ready},
                year__in={r.values["year"] for r, *_ in ready},
            )
        }
        for row, buyer, supplier, node in ready:
            v = row.values
            name = supplier.name if supplier else v["supplier_name"]
            key = (buyer.pk, name, v["year"], v.get("product", ""))
            current = existing.get(key)
            if current is None:
                self.result.created += 1
            else:
                self.result.updated += 1
            if self.write:
                self._save(current, buyer, supplier, node, name, v)

    def _save(self, current, buyer, supplier, node, name, v) -> None:  # noqa: ANN001
        values = {
            "supplier": supplier,
            "supplier_region": "" if supplier else v.get("supplier_region", ""),
            "node": node,
            "amount": v["amount"],
        }
        if current is None:
            relation = SupplyRelation.all_objects.create(
                buyer=buyer,
                supplier_name=name,
                year=v["year"],
                product=v.get("product", ""),
                **values,
            )
            changes = {"amount": {"label": "年采购额", "before": None, "after": str(v["amount"])}}
            action = AuditEvent.Action.IMPORT
        else:
            before = current.amount
            for field, value in values.items():
                setattr(current, field, value)
            current.save()
            relation = current
            changes = {
                "amount": {"label": "年采购额", "before": str(before), "after": str(v["amount"])}
            }
            action = AuditEvent.Action.IMPORT
        audit_record(
            actor=self.actor,
            action=action,
            instance=relation,
            changes=changes,
            note="配套关系导入",
            enterprise_id=buyer.pk,
            jurisdiction_id=buyer.jurisdiction_id,
        )


def _pass(
    actor: User, data: bytes, *, write: bool, progress: Callable[[int], None] | None = None
) -> ImportResult:
    result = ImportResult(dry_run=not write)
    run = _Run(actor, result, write)
    chunk: list[_Row] = []
    for number, values, errors in read_rows(data, supply_columns()):
        result.rows += 1
        if errors:
            result.errors.extend(errors)
        else:
            chunk.append(_Row(number, values))
        if len(chunk) == CHUNK:
            run.add(chunk)
            chunk = []
            if progress:
                progress(result.rows)
    run.add(chunk)
    return result


def supply_import(
    *,
    actor: User,
    data: bytes,
    dry_run: bool,
    progress: Callable[..., None] | None = None,
) -> ImportResult:
    """Check every row, then write all of them or none (所有行校验通过才写入).

    `progress(rows_read)` is called after each checked chunk (it may raise to cancel: the job's
    `Progress`), and `progress(0, writing=True)` once before writing: no cancel after that.
    """
    if not permissions.can_edit_chain_members(actor):
        raise ApplicationError("当前角色只能查看，不能导入数据。", code="forbidden")
    checked = _pass(actor, data, write=False, progress=progress)
    if checked.errors or dry_run:
        return checked
    if progress:
        progress(0, writing=True)
    with transaction.atomic():
        written = _pass(actor, data, write=True)
        if written.errors:  # the data changed between the passes: write nothing
            transaction.set_rollback(True)
    return written
