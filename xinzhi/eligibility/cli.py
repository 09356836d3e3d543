"""``xinzhi evaluate`` / ``python -m xinzhi.eligibility``.

    evaluate --policy ID[,ID…]|all --input FILE [--as-of YYYY-MM-DD]
             [--format json|table|summary|xlsx] [--output FILE] [--what-if FILE|JSON]

Exit codes: 0 ok; 2 bad input or usage (message on stderr, no traceback).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from collections import Counter
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, NoReturn

from xlsxwriter.exceptions import FileCreateError

from .batch import evaluate_batch
from .changes import apply_changes, normalise_changes, project_next_window
from .engine import Result, UnknownPolicyError, evaluate
from .facts import EnterpriseFacts, InputError
from .io import read_input, read_text
from .loader import RulesetError, families, load_policies, policies_in_force
from .render import render_json, render_summary, render_table, write_xlsx

EXIT_USAGE = 2
CHINA = timezone(timedelta(hours=8))  # the bureau's calendar decides what "today" is


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="xinzhi evaluate",
        description="按政策规则评估企业资格（科技型中小企业、高企、专精特新、瞪羚、独角兽…）",
    )
    p.add_argument(
        "--policy",
        required=True,
        help="政策编号或称号（按申报日期选用生效版本），逗号分隔，或 all；"
        "例如 tech-sme-2017,hnte-2016 或 little_giant",
    )
    p.add_argument("--input", required=True, help="输入文件：.json / .csv / .xlsx")
    p.add_argument("--as-of", dest="as_of", help="申报日期 YYYY-MM-DD，覆盖输入中的 as_of")
    p.add_argument("--format", default="json", choices=["json", "table", "summary", "xlsx"])
    p.add_argument("--output", help="输出文件（xlsx 必填；其他格式默认输出到标准输出）")
    p.add_argument(
        "--review",
        action="store_true",
        help="复核模式：对已获称号企业按复核所用标准评估（如2026年小巨人复核沿用2022标准）",
    )
    p.add_argument("--workers", type=int, default=1, help="summary 格式的并行进程数")
    p.add_argument(
        "--what-if",
        dest="what_if",
        help="试算：对每家企业应用调整后再评估。JSON 文本或文件：调整列表 "
        '[{"path": "financials[2025].rd_expense", "delta": 126.4}]，'
        "或提升建议对象（含 changes 与 window，可直接复算建议）",
    )
    return p


def _load_what_if(arg: str) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """(changes, window) from inline JSON or a file; a lever object carries its window."""
    text = arg.strip()
    if not text.startswith(("[", "{")):
        path = Path(arg)
        if not path.is_file():
            raise _UsageError(f"--what-if 既不是 JSON 也不是存在的文件：{arg!r}")
        text = read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise _UsageError(f"--what-if JSON 格式错误：第{e.lineno}行第{e.colno}列 {e.msg}") from None
    window = None
    if isinstance(data, dict) and "changes" in data:
        window = data.get("window")
        data = data["changes"]
    if not isinstance(data, list | dict):
        raise _UsageError("--what-if 应为调整列表、{路径: 值} 或含 changes 的对象")
    return normalise_changes(data), window


def _check_as_of(facts: list[EnterpriseFacts], as_of: date | None) -> None:
    today = datetime.now(CHINA).date()
    if as_of is not None and as_of > today:
        raise _UsageError(
            f"--as-of {as_of.isoformat()} 晚于今天 {today.isoformat()}，不能评估未来日期"
        )
    for f in facts:
        on = as_of or f.as_of
        if on is not None and f.registered_on is not None and on < f.registered_on:
            raise InputError(
                f.id,
                "as_of",
                f"申报日期 {on.isoformat()} 早于注册日期 {f.registered_on.isoformat()}",
            )


def main(argv: list[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["evaluate"]:
        args_list = args_list[1:]
    try:
        return _main(args_list)
    except _UsageError as e:
        print(f"用法错误：{e}\n（xinzhi evaluate --help 查看用法）", file=sys.stderr)
    except UnknownPolicyError as e:
        print(str(e), file=sys.stderr)
    except InputError as e:
        print(f"输入错误：{e}", file=sys.stderr)
    except RulesetError as e:
        print(f"规则集错误：{e}", file=sys.stderr)
    except FileCreateError as e:
        print(f"无法写入输出文件：{e}", file=sys.stderr)
    except OSError as e:
        print(f"文件错误：{e.strerror or e}：{e.filename or ''}", file=sys.stderr)
    except ArithmeticError as e:
        print(f"数值错误（数值过大或无效）：{e!r}", file=sys.stderr)
    return EXIT_USAGE


def _main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    pols = load_policies()
    title_families = families()
    if args.policy.strip() == "all":
        pids = list(pols)
    else:
        pids = [p.strip() for p in args.policy.split(",") if p.strip()]
        if not pids:
            raise _UsageError("--policy 不能为空")
        for pid in pids:
            if pid not in pols and pid not in title_families:
                raise UnknownPolicyError(pid, [*pols, *title_families])
    as_of = None
    if args.as_of:
        try:
            as_of = date.fromisoformat(args.as_of)
        except ValueError:
            raise _UsageError(f"--as-of 日期无效：{args.as_of!r}（应为 YYYY-MM-DD）") from None
    if args.format == "xlsx" and not args.output:
        raise _UsageError("--format xlsx 需要 --output 文件")
    if args.format == "xlsx":
        _check_writable(args.output)
    facts = read_input(args.input)
    _check_as_of(facts, as_of)
    if args.what_if:
        changes, window = _load_what_if(args.what_if)
        replayed = []
        for f in facts:
            on = as_of or f.as_of
            if window is not None and on is not None:
                # a lever's window: the next application, the open fiscal year projected
                f, later = project_next_window(f, on)
                f = replace(f, as_of=later)
            replayed.append(apply_changes(f, changes))
        if window is not None:
            as_of = None  # each enterprise's own next window
        facts = replayed
        print(f"已对 {len(facts)} 家企业应用 {len(changes)} 项调整", file=sys.stderr)
    names = {f.id: f.name for f in facts}
    pairs = _resolve(facts, pids, as_of, review=args.review)
    if args.format == "summary":
        used = list(dict.fromkeys(pid for _, pid in pairs))
        counts: dict[str, Counter[str]] = {pid: Counter() for pid in used}
        for pid in used:
            group = [f for f, p in pairs if p == pid]
            for r in evaluate_batch(group, [pid], as_of, workers=max(1, args.workers)):
                counts[r.policy][r.verdict] += 1
        _emit(args.output, lambda out: render_summary(counts, pols, out, len(facts)))
        return 0
    results: list[Result] = [evaluate(f, pid, as_of, review=args.review) for f, pid in pairs]
    for warning in dict.fromkeys(w for r in results for w in r.warnings):
        print(f"警告：{warning}", file=sys.stderr)
    if args.format == "json":
        text = render_json(results)
        _emit(args.output, lambda out: out.write(text + "\n"))
    elif args.format == "table":
        _emit(args.output, lambda out: render_table(results, names, out))
    else:
        write_xlsx(results, names, pols, args.output)
        print(f"已写入 {args.output}", file=sys.stderr)
    return 0


def _resolve(
    facts: list[EnterpriseFacts], tokens: list[str], as_of: date | None, *, review: bool
) -> list[tuple[EnterpriseFacts, str]]:
    """(enterprise, policy id) pairs; a family name picks the version(s) in force on each
    enterprise's date (with ``review``: the standard its 复核 round applies)."""
    pols = load_policies()
    pairs: list[tuple[EnterpriseFacts, str]] = []
    for f in facts:
        on = as_of or f.as_of
        for token in tokens:
            if token in pols:
                pairs.append((f, token))
                continue
            if on is None:
                raise InputError(f.id, "as_of", "缺少申报日期 as_of（可用 --as-of 指定）")
            chosen = policies_in_force(token, on, review=review)
            if not chosen:
                raise _UsageError(f"{token} 在 {on.isoformat()} 没有生效的规则集")
            pairs.extend((f, p.id) for p in chosen)
    return pairs


def _check_writable(output: str) -> None:
    path = Path(output)
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise _UsageError(f"--output {output} 是目录")
    if not parent.is_dir():
        raise _UsageError(f"--output 所在目录不存在：{parent}")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise _UsageError(f"--output {output} 不可写（权限不足）")


def _emit(output: str | None, write: object) -> None:
    assert callable(write)
    if output:
        with Path(output).open("w", encoding="utf-8") as fh:
            write(fh)
    else:
        buf = io.StringIO()
        write(buf)
        sys.stdout.write(buf.getvalue())
        sys.stdout.flush()


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
