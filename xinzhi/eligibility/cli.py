"""``xinzhi evaluate`` / ``python -m xinzhi.eligibility``.

    evaluate --policy ID[,ID…]|all --input FILE [--as-of YYYY-MM-DD]
             [--format json|table|summary|xlsx] [--output FILE]

Exit codes: 0 ok; 2 bad input or usage (message on stderr, no traceback).
"""

from __future__ import annotations

import argparse
import io
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import NoReturn

from .batch import evaluate_batch
from .engine import Result, UnknownPolicyError, evaluate
from .facts import InputError
from .io import read_input
from .loader import load_policies
from .render import render_json, render_summary, render_table, write_xlsx

EXIT_USAGE = 2


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="xinzhi evaluate",
                description="按政策规则评估企业资格（科技型中小企业、高企、专精特新、瞪羚、独角兽…）")
    p.add_argument("--policy", required=True,
                   help="政策编号，逗号分隔，或 all；例如 tech-sme-2017,hnte-2016")
    p.add_argument("--input", required=True, help="输入文件：.json / .csv / .xlsx")
    p.add_argument("--as-of", dest="as_of", help="申报日期 YYYY-MM-DD，覆盖输入中的 as_of")
    p.add_argument("--format", default="json", choices=["json", "table", "summary", "xlsx"])
    p.add_argument("--output", help="输出文件（xlsx 必填；其他格式默认输出到标准输出）")
    p.add_argument("--workers", type=int, default=1, help="summary 格式的并行进程数")
    return p


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
    except OSError as e:
        print(f"文件错误：{e}", file=sys.stderr)
    return EXIT_USAGE


def _main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    pols = load_policies()
    if args.policy.strip() == "all":
        pids = list(pols)
    else:
        pids = [p.strip() for p in args.policy.split(",") if p.strip()]
        if not pids:
            raise _UsageError("--policy 不能为空")
        for pid in pids:
            if pid not in pols:
                raise UnknownPolicyError(pid, list(pols))
    as_of = None
    if args.as_of:
        try:
            as_of = date.fromisoformat(args.as_of)
        except ValueError:
            raise _UsageError(f"--as-of 日期无效：{args.as_of!r}（应为 YYYY-MM-DD）") from None
    if args.format == "xlsx" and not args.output:
        raise _UsageError("--format xlsx 需要 --output 文件")
    facts = read_input(args.input)
    names = {f.id: f.name for f in facts}
    if args.format == "summary":
        counts: dict[str, Counter[str]] = {pid: Counter() for pid in pids}
        for r in evaluate_batch(facts, pids, as_of, workers=max(1, args.workers)):
            counts[r.policy][r.verdict] += 1
        _emit(args.output, lambda out: render_summary(counts, pols, out, len(facts)))
        return 0
    results: list[Result] = [evaluate(f, pid, as_of) for f in facts for pid in pids]
    if args.format == "json":
        text = render_json(results)
        _emit(args.output, lambda out: out.write(text + "\n"))
    elif args.format == "table":
        _emit(args.output, lambda out: render_table(results, names, out))
    else:
        write_xlsx(results, names, pols, args.output)
        print(f"已写入 {args.output}", file=sys.stderr)
    return 0


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
