"""Output formats: json, table (rich, CJK-aligned), summary, xlsx."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from rich.console import Console
from rich.table import Table

from .engine import Result, jsonable
from .loader import Policy

__all__ = ["VERDICT_CN", "render_json", "render_summary", "render_table", "write_xlsx"]

VERDICT_CN = {"eligible": "符合", "possible": "可能符合（待审核）", "ineligible": "不符合"}
STATUS_CN = {"met": "满足", "unmet": "不满足", "manual_review": "待人工审核"}
STATUS_STYLE = {"met": "green", "unmet": "red", "manual_review": "yellow"}
ROUTE_CN = {"score": "评分", "direct": "直通", None: "—"}


def render_json(results: Iterable[Result]) -> str:
    """``{"results": [...]}``; Decimals become JSON numbers (int when integral, else float)."""
    return json.dumps(
        {"results": [r.to_dict() for r in results]}, ensure_ascii=False, indent=2, allow_nan=False
    )


def _cell(v: Any) -> str:
    v = jsonable(v)
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, dict):
        if set(v) == {"min", "max"}:
            return str(v["min"]) if v["min"] == v["max"] else f"{v['min']}–{v['max']}"
        return "，".join(f"{k}={_cell(x)}" for k, x in v.items())
    if isinstance(v, list):
        return " / ".join(_cell(x) for x in v)
    return str(v)


def render_table(
    results: Sequence[Result], names: Mapping[str, str | None], out: IO[str], width: int = 140
) -> None:
    """A readable Chinese report per enterprise: every check, its numbers and gap."""
    console = Console(
        file=out, width=width, force_terminal=False, no_color=not out.isatty(), highlight=False
    )
    by_ent: dict[str, list[Result]] = {}
    for r in results:
        by_ent.setdefault(r.id, []).append(r)
    for eid, rs in by_ent.items():
        console.rule(f"[bold]{eid} {names.get(eid) or ''}[/bold]  申报日期 {rs[0].as_of}")
        for r in rs:
            score = (
                ""
                if r.score is None
                else f"  得分 {_cell({'min': r.score['min'], 'max': r.score['max']})}"
                f"（及格线 {r.score['pass']}）"
            )
            console.print(
                f"[bold]{r.policy_name}[/bold]  结论：[{_vstyle(r.verdict)}]"
                f"{VERDICT_CN[r.verdict]}[/]  路径：{ROUTE_CN.get(r.route, r.route)}"
                f"{score}"
            )
            t = Table(show_lines=False, expand=False, pad_edge=False)
            for col in ("条件", "状态", "实际", "要求", "差距", "说明", "可信度"):
                t.add_column(col, overflow="fold")
            for c in r.checks:
                t.add_row(
                    c["label"],
                    f"[{STATUS_STYLE[c['status']]}]{STATUS_CN[c['status']]}[/]",
                    _cell(c["actual"]),
                    _cell(c["required"]),
                    _cell(c["gap"]),
                    c["note"] or "",
                    c["confidence"],
                )
            console.print(t)
            if r.indicators:
                ti = Table(title="评分指标", title_justify="left")
                for col in ("指标", "得分", "满分", "实际", "档位", "可信度"):
                    ti.add_column(col, overflow="fold")
                for i in r.indicators:
                    ti.add_row(
                        i["label"],
                        _cell(i["points"]),
                        str(i["max"]),
                        _cell(i["actual"]),
                        i["band"] or "—",
                        i["confidence"],
                    )
                console.print(ti)
            if r.readiness in READINESS_CN:
                line = f"  {READINESS_CN[r.readiness]}"
                if r.missing:
                    line += f"：缺少 {', '.join(r.missing)}"
                console.print(line)
            for warning in r.warnings:
                console.print(f"  [yellow]警告：{warning}[/yellow]")
            if r.blocked_by:
                console.print(
                    "  无建议可修复的门槛（分数类建议不再给出）："
                    + "、".join(b["label"] for b in r.blocked_by)
                )
            for lv in r.levers:
                gain = f"（+{lv['gain']}分）" if lv["gain"] else ""
                console.print(
                    f"  提升建议（{lv['window']['fiscal_year']}年，已验证）："
                    f"{lv['label']} — {lv['change']}{gain}"
                )
            if r.unconfirmed:
                console.print(f"  [dim]待确认规则〔R/U〕：{', '.join(r.unconfirmed)}[/dim]")
            console.print(f"  [dim]依据：{r.source}[/dim]")
            console.print()


READINESS_CN = {"to_verify": "待核实（关键数据齐全，仅余人工审核事项）", "data_missing": "数据不全"}


def _vstyle(v: str) -> str:
    return {"eligible": "bold green", "possible": "bold yellow", "ineligible": "bold red"}[v]


def render_summary(
    counts: Mapping[str, Counter[str]], policies: Mapping[str, Policy], out: IO[str], total: int
) -> None:
    console = Console(
        file=out, width=120, force_terminal=False, no_color=not out.isatty(), highlight=False
    )
    t = Table(title=f"资格评估汇总（{total} 家企业）", title_justify="left")
    for col in ("政策编号", "政策", "符合", "可能符合", "不符合"):
        t.add_column(col)
    for pid, cnt in counts.items():
        t.add_row(
            pid,
            policies[pid].name,
            str(cnt["eligible"]),
            str(cnt["possible"]),
            str(cnt["ineligible"]),
        )
    console.print(t)


def _safe(v: Any) -> Any:
    """Escape spreadsheet formula injection in text cells."""
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + v
    return v


def write_xlsx(
    results: Sequence[Result],
    names: Mapping[str, str | None],
    policies: Mapping[str, Policy],
    path: str | Path,
) -> None:
    """One sheet per policy; one row per enterprise; each check is a column."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(
        str(path),
        {"strings_to_formulas": False, "strings_to_urls": False, "constant_memory": False},
    )
    try:
        head = wb.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7", "border": 1}
        )
        fmts = {
            "met": wb.add_format({"font_color": "#006100", "bg_color": "#C6EFCE"}),
            "unmet": wb.add_format({"font_color": "#9C0006", "bg_color": "#FFC7CE"}),
            "manual_review": wb.add_format({"font_color": "#9C5700", "bg_color": "#FFEB9C"}),
        }
        by_pol: dict[str, list[Result]] = {}
        for r in results:
            by_pol.setdefault(r.policy, []).append(r)
        for pid, rs in by_pol.items():
            ws = wb.add_worksheet(pid[:31])
            keys: list[tuple[str, str]] = []
            seen: set[str] = set()
            for r in rs:
                for c in r.checks:
                    if c["key"] not in seen:
                        seen.add(c["key"])
                        keys.append((c["key"], c["label"]))
            fixed = ["企业编号", "企业名称", "结论", "路径", "最低分", "最高分", "及格线"]
            header = (
                fixed
                + [f"{label}\n[{key}]" for key, label in keys]
                + ["提升建议", "待确认规则", "依据", "可申报判断", "缺失数据", "警告"]
            )
            ws.write_row(0, 0, header, head)
            ws.set_row(0, 60)
            ws.freeze_panes(1, 2)
            ws.set_column(0, 0, 10)
            ws.set_column(1, 1, 30)
            ws.set_column(2, len(header), 16)
            for row, r in enumerate(rs, start=1):
                vals: list[Any] = [
                    r.id,
                    names.get(r.id) or "",
                    VERDICT_CN[r.verdict],
                    ROUTE_CN.get(r.route, r.route),
                    r.score_min,
                    r.score_max,
                    None if r.score is None else r.score["pass"],
                ]
                for col, v in enumerate(vals):
                    if v is None:
                        ws.write_blank(row, col, None)
                    else:
                        ws.write(row, col, _safe(v))
                by_key = {c["key"]: c for c in r.checks}
                for j, (key, _label) in enumerate(keys, start=len(fixed)):
                    c = by_key.get(key)
                    if c is None:
                        ws.write_blank(row, j, None)
                        continue
                    text = STATUS_CN[c["status"]]
                    if c["gap"] is not None:
                        text += f"（差 {_cell(c['gap'])}）"
                    ws.write_string(row, j, text, fmts[c["status"]])
                end = len(fixed) + len(keys)
                ws.write_string(
                    row,
                    end,
                    _safe(
                        "；".join(
                            f"{lv['change']}" + (f"（+{lv['gain']}分）" if lv["gain"] else "")
                            for lv in r.levers
                        )
                    ),
                )
                ws.write_string(row, end + 1, ", ".join(r.unconfirmed))
                ws.write_string(row, end + 2, _safe(r.source))
                ws.write_string(row, end + 3, READINESS_CN.get(r.readiness, VERDICT_CN[r.verdict]))
                ws.write_string(row, end + 4, ", ".join(r.missing))
                ws.write_string(row, end + 5, _safe("；".join(r.warnings)))
    finally:
        wb.close()
