"""Excel import of annual figures at 100k enterprises, against django-import-export.

For each file size (default 6k, 20k, 60k rows) a fresh process reads the same .xlsx and runs
  - our import: validate (dry run), then commit (read + validate + write + audit), with the
    re-evaluation the commit triggers timed separately (it is queued as a task in production);
  - django-import-export on a file of the same rows (other values, so both really write),
    per row and with `use_bulk`, for the ratio (only up to --anchor-rows: it is slow).
It reports rows/s, peak RSS of that process, and bytes the audit log grows per imported row.

  .venv/bin/xinzhi generate_scale --count 100000 --no-ip   # with XINZHI_VAR_DIR=var/bench
  .venv/bin/python bench/bench_import.py [--sizes 6000,20000,60000] [--database-url postgres://…]

Budget (DESIGN §8): ≥ 5,000 rows/s commit end to end; peak RSS at 60k within 10 % of 6k;
audit ≤ 400 B per written row.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HEADER = [
    "统一社会信用代码",
    "年度",
    "职工总数",
    "科技人员数",
    "研发人员数",
    "销售收入（万元）",
    "主营业务收入（万元）",
    "收入总额（万元）",
    "高新技术产品（服务）收入（万元）",
    "研发费用（万元）",
    "境内研发费用（万元）",
    "资产总额（万元）",
]


def setup(args: argparse.Namespace) -> None:
    os.environ["XINZHI_VAR_DIR"] = args.var_dir
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()


def write_file(path: Path, codes: list[str], shift: int) -> None:
    """Half the rows change a stored year (2025), half add the next one (2026).

    Texts go to the shared strings table, as Excel saves them (xlsxwriter's constant_memory
    mode would write inline strings): the reader then holds every distinct credit code."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADER)
    for i, code in enumerate(codes, start=1):
        revenue, rd = 3000 + (i + shift) % 997, 150 + (i + shift) % 89
        year = 2025 if i % 2 else 2026
        sheet.write_row(
            i,
            0,
            [code, year, 100 + i % 50, 20 + i % 10, 15, revenue, revenue * 0.9, revenue * 1.02,
             revenue * 0.7, rd, rd, 5000 + i % 313],
        )  # fmt: skip
    book.close()


def audit_bytes() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT SUM(pgsize) FROM dbstat WHERE name IN "
                "(SELECT name FROM sqlite_master WHERE tbl_name = 'core_auditevent')"
            )
        else:
            cursor.execute("SELECT pg_total_relation_size('core_auditevent')")
        return int(cursor.fetchone()[0] or 0)


def peak_rss_mb() -> float:
    """This process's peak RSS since it started (VmHWM). `ru_maxrss` would do on macOS, but on
    Linux it keeps the parent's peak across fork + exec, which grows with the file it wrote."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def bench_admin():  # noqa: ANN201
    from xinzhi.accounts.models import User

    user = User.objects.filter(role="admin", is_active=True).first()
    return user or User.objects.create_user(username="bench-admin", password=None, role="admin")


def child(args: argparse.Namespace) -> None:
    """One size, in its own process so peak RSS is this size's alone."""
    setup(args)
    from xinzhi.cultivation.services import evaluations_refresh_enterprises
    from xinzhi.enterprises import hooks
    from xinzhi.enterprises.imports import figures_import

    admin = bench_admin()
    data = Path(args.file).read_bytes()
    rows = args.child_rows
    start_rss = peak_rss_mb()
    out: dict = {"rows": rows, "file_mb": round(len(data) / 1e6, 2)}
    changed: list[int] = []
    listeners = list(hooks._listeners)
    hooks._listeners[:] = [changed.extend]  # the commit's re-evaluation, queued here
    for mode in ("dry_run", "commit"):
        before = audit_bytes()
        started, cpu = time.perf_counter(), time.process_time()
        result = figures_import(actor=admin, data=data, dry_run=mode == "dry_run")
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        assert result.ok, result.errors[:5]
        out[mode] = {
            "seconds": round(elapsed, 2),
            "rows_per_s": round(rows / elapsed),
            # This process's CPU time: on SQLite (in-process) the idle-machine estimate.
            "cpu_seconds": round(cpu, 2),
            "rows_per_cpu_s": round(rows / cpu),
        }
        if mode == "commit":
            written = result.created + result.updated
            out["commit"].update(created=result.created, updated=result.updated)
            out["audit_bytes_per_row"] = round((audit_bytes() - before) / max(written, 1))
    # The machine is shared: how busy it was while this size ran (1-minute load average).
    out["load_average_after_commit"] = round(os.getloadavg()[0], 1)
    out["peak_rss_mb"] = round(peak_rss_mb())
    out["rss_before_import_mb"] = round(start_rss)
    hooks._listeners[:] = listeners
    if args.reevaluate:
        started = time.perf_counter()
        evaluations_refresh_enterprises(sorted(set(changed)))
        reevaluation = time.perf_counter() - started
        out["re_evaluation"] = {"enterprises": len(set(changed)), "seconds": round(reevaluation, 2)}
        out["commit_plus_inline_re_evaluation_rows_per_s"] = round(
            rows / (out["commit"]["seconds"] + reevaluation)
        )
    if args.anchor_file:
        out["django_import_export"] = anchor(Path(args.anchor_file).read_bytes(), rows)
        out["ratio_commit_vs_import_export"] = round(
            out["commit"]["rows_per_s"] / out["django_import_export"]["rows_per_s"], 1
        )
        out["ratio_commit_vs_import_export_bulk"] = round(
            out["commit"]["rows_per_s"] / out["django_import_export"]["bulk_rows_per_s"], 1
        )
        out["ratio_cpu_commit_vs_import_export"] = round(
            out["commit"]["rows_per_cpu_s"] / out["django_import_export"]["rows_per_cpu_s"], 1
        )
    print(json.dumps(out, ensure_ascii=False))


def anchor(data: bytes, rows: int) -> dict:
    """The same rows through django-import-export (ModelResource, per row and use_bulk)."""
    import tablib
    from import_export import fields, resources, widgets

    from xinzhi.enterprises.imports import figure_columns
    from xinzhi.enterprises.models import AnnualFigures, Enterprise

    headers = {c.field: c.header for c in figure_columns()}
    # django-import-export writes through `Model.objects`, which is scoped here: for the bench
    # process only, let it write through the unscoped manager (the same queries it would run).
    AnnualFigures.objects = AnnualFigures.all_objects

    class Codes(widgets.ForeignKeyWidget):
        def get_queryset(self, value, row, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
            return Enterprise.all_objects.all()  # the bench user sees every enterprise

    def resource_class(bulk: bool) -> type:
        attrs = {
            "get_queryset": lambda self: AnnualFigures.all_objects.all(),
            "enterprise": fields.Field(
                attribute="enterprise",
                column_name="统一社会信用代码",
                widget=Codes(Enterprise, "credit_code"),
            ),
            **{
                name: fields.Field(attribute=name, column_name=headers[name])
                for name in HEADER_FIELDS
            },
            "Meta": type(
                "Meta",
                (),
                {
                    "model": AnnualFigures,
                    "import_id_fields": ("enterprise", "year"),
                    "fields": ("enterprise", *HEADER_FIELDS),
                    "use_bulk": bulk,
                    "batch_size": 2000,
                    "use_transactions": True,
                },
            ),
        }
        return type("FiguresResource", (resources.ModelResource,), attrs)

    out = {}
    for bulk in (False, True):
        dataset = tablib.Dataset().load(data, format="xlsx")
        started, cpu = time.perf_counter(), time.process_time()
        result = resource_class(bulk)().import_data(dataset, dry_run=False, raise_errors=True)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        assert not result.has_errors()
        prefix = "bulk_" if bulk else ""
        out[f"{prefix}seconds"] = round(elapsed, 2)
        out[f"{prefix}rows_per_s"] = round(rows / elapsed)
        out[f"{prefix}rows_per_cpu_s"] = round(rows / cpu)
    return out


HEADER_FIELDS = (
    "year",
    "employees",
    "tech_staff",
    "rd_staff",
    "revenue",
    "main_revenue",
    "total_income",
    "hightech_revenue",
    "rd_expense",
    "rd_expense_domestic",
    "total_assets",
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="6000,20000,60000")
    parser.add_argument("--anchor-rows", type=int, default=6000, help="largest size for d-i-e")
    parser.add_argument("--database-url", default="")
    parser.add_argument(
        "--no-reevaluation",
        dest="reevaluate",
        action="store_false",
        help="skip timing the queued re-evaluation inline (it runs as a task in production)",
    )
    parser.add_argument("--var-dir", default=str(ROOT / "var" / "bench"))
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--anchor-file", help=argparse.SUPPRESS)
    parser.add_argument("--child-rows", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.file:
        child(args)
        return 0
    setup(args)
    from django.core.management import call_command
    from django.db import connection

    from xinzhi.enterprises.models import Enterprise

    call_command("migrate", verbosity=0)
    load_at_start = [round(x, 1) for x in os.getloadavg()]
    vendor, count = connection.vendor, Enterprise.objects.unscoped().count()
    files = Path(args.var_dir) / "import-files"
    files.mkdir(parents=True, exist_ok=True)
    results = []
    for size in [int(s) for s in args.sizes.split(",")]:
        # Rows spread over the whole table, not its first ids.
        codes = list(
            Enterprise.objects.unscoped()
            .order_by("pk")
            .values_list("credit_code", flat=True)[:: max(count // size, 1)][:size]
        )
        shift = int(time.time()) % 1000
        ours, theirs = files / f"figures-{size}.xlsx", files / f"figures-{size}-anchor.xlsx"
        write_file(ours, codes, shift)
        command = [sys.executable, __file__, "--file", str(ours), "--child-rows", str(len(codes))]
        command += ["--var-dir", args.var_dir, "--database-url", args.database_url]
        command += [] if args.reevaluate else ["--no-reevaluation"]
        if size <= args.anchor_rows:
            write_file(theirs, codes, shift + 500)
            command += ["--anchor-file", str(theirs)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        if done.returncode:
            print(done.stderr, file=sys.stderr)
            return 1
        result = json.loads(done.stdout.strip().splitlines()[-1])
        print(json.dumps(result, ensure_ascii=False))
        results.append(result)
    small, large = results[0], results[-1]
    out = {
        "database": vendor,
        "enterprises": count,
        "cpu_count": os.cpu_count(),
        "load_average_at_start": load_at_start,
        "load_average_at_end": [round(x, 1) for x in os.getloadavg()],
        "sizes": results,
        "peak_rss_growth_largest_vs_smallest": round(
            large["peak_rss_mb"] / small["peak_rss_mb"] - 1, 3
        ),
        "budget": {"commit_rows_per_s": 5000, "peak_rss_growth": 0.10},
        "note": "commit = read + validate + write + audit in one transaction, with the "
        "re-evaluation it triggers queued (timed on its own after). Shared, busy 2-core "
        "machine: figures vary run to run.",
    }
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    target = ROOT / "bench" / "results" / f"import-{vendor}.json"
    target.write_text(json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps(out, ensure_ascii=False, indent=2))
    print(summary(out))
    return 0


def summary(out: dict) -> str:
    """The figures the budget names, one line each."""
    lines = [
        f"{out['database']}, {out['enterprises']:,} enterprises, load average "
        f"{out['load_average_at_start']} → {out['load_average_at_end']} on {out['cpu_count']} CPUs"
    ]
    for size in out["sizes"]:
        dry, commit = size["dry_run"], size["commit"]
        lines.append(
            f"{size['rows']:>7,} rows: commit {commit['rows_per_s']:,}/s wall, "
            f"{commit['rows_per_cpu_s']:,}/CPU s; dry run {dry['rows_per_s']:,}/s wall, "
            f"{dry['rows_per_cpu_s']:,}/CPU s; peak RSS {size['peak_rss_mb']} MB; "
            f"audit {size['audit_bytes_per_row']} B/row; load {size['load_average_after_commit']}"
        )
        if "django_import_export" in size:
            anchor = size["django_import_export"]
            lines.append(
                f"         django-import-export {anchor['rows_per_s']:,}/s wall "
                f"({anchor['rows_per_cpu_s']:,}/CPU s), use_bulk {anchor['bulk_rows_per_s']:,}/s: "
                f"ours {size['ratio_commit_vs_import_export']}× wall, "
                f"{size['ratio_cpu_commit_vs_import_export']}× per CPU s, "
                f"{size['ratio_commit_vs_import_export_bulk']}× use_bulk"
            )
    lines.append(
        f"peak RSS largest vs smallest: {out['peak_rss_growth_largest_vs_smallest']:+.1%} "
        "(budget +10 %)"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
