"""Excel export of the enterprise list (企业名录导出) at 100k enterprises.

Times the whole export as the page and the job run it (query + columns + writer), the writer
alone on rows already in memory, xlsxwriter (constant memory, the previous writer) on the same
rows, the writer's peak memory (tracemalloc) at 10k, 100k and 300k generated rows, and the
whole export's peak memory at 10k and all rows.

  .venv/bin/python bench/bench_export.py [--rows 100000] [--database-url postgres://…]

Uses the page benchmark's database (`var/bench/sqlite-100000`, made by bench_pages.py).
Budget (issue 15): ≥ 20,000 rows/s written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(run) -> tuple[float, float]:  # noqa: ANN001
    started, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - started, time.process_time() - cpu


def rates(n: int, wall: float, cpu: float) -> dict:
    return {
        "seconds": round(wall, 1),
        "cpu_seconds": round(cpu, 1),
        "rows_per_s": round(n / wall),
        "rows_per_cpu_s": round(n / cpu),
    }


def xlsxwriter_workbook(columns, rows) -> None:  # noqa: ANN001
    """The previous writer: xlsxwriter in constant-memory mode, one call per cell."""
    import tempfile

    import xlsxwriter

    with tempfile.TemporaryFile() as target:
        book = xlsxwriter.Workbook(target, {"constant_memory": True, "in_memory": False})
        formats = {
            "money": book.add_format({"num_format": "#,##0.00"}),
            "int": book.add_format({"num_format": "0"}),
            "date": book.add_format({"num_format": "yyyy-mm-dd"}),
        }
        sheet = book.add_worksheet("企业名录")
        for c, column in enumerate(columns):
            sheet.write_string(0, c, column.header)
        for r, row in enumerate(rows, start=1):
            for c, column in enumerate(columns):
                value = column.value(row)
                if value is None or value == "":
                    continue
                fmt = formats.get(column.kind)
                if isinstance(value, int | float | Decimal):
                    sheet.write_number(r, c, float(value), fmt)
                elif isinstance(value, dt.date):
                    sheet.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), fmt)  # noqa: DTZ001
                else:
                    sheet.write_string(r, c, str(value))
        book.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--var-dir", default=str(ROOT / "var" / "bench" / "sqlite-100000"))
    parser.add_argument("--xlsxwriter-rows", type=int, default=20_000)
    args = parser.parse_args()
    os.environ["XINZHI_VAR_DIR"] = args.var_dir
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from django.db import connection
    from django.http import QueryDict

    from xinzhi.accounts.models import User
    from xinzhi.enterprises import selectors
    from xinzhi.enterprises.exports import enterprise_columns
    from xinzhi.spreadsheets.export import Column, write_workbook

    admin = User.objects.filter(role="admin", is_active=True).first()
    whole, year = selectors.enterprise_list(user=admin, params=QueryDict())
    queryset = whole[: args.rows]
    columns = enterprise_columns(year)
    holder: dict = {}

    def export() -> None:
        rows = selectors.enterprise_export_rows(queryset, year)
        holder["book"] = write_workbook([("企业名录", columns, rows)])

    load_at_start = [round(x, 1) for x in os.getloadavg()]
    full = timed(export)
    size = len(holder["book"].read())
    rows = list(selectors.enterprise_export_rows(queryset, year))
    n = len(rows)
    # The writer alone: rows as plain values, so only cell conversion and the writer count.
    plain = [tuple(column.value(row) for column in columns) for row in rows]
    flat = [Column(c.header, lambda r, i=i: r[i], c.width, c.kind) for i, c in enumerate(columns)]
    writer = timed(lambda: write_workbook([("企业名录", flat, plain)]))
    some = plain[: args.xlsxwriter_rows]
    old = timed(lambda: xlsxwriter_workbook(flat, some))

    def peak(count: int) -> float:
        """Peak traced memory while writing `count` rows generated on the fly."""
        generated = (plain[i % n] for i in range(count))
        tracemalloc.start()
        write_workbook([("企业名录", flat, generated)])
        _, high = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return round(high / 1e6, 2)

    # Bounded, not growing with the rows: ~7 MB of working buffers plus the spooled file, which
    # stays in memory up to 8 MB and then moves to a temporary file.
    memory = {f"peak_mb_{k // 1000}k_rows": peak(k) for k in (10_000, 100_000, 300_000)}

    def export_peak(count: int) -> float:
        """Peak traced memory of the whole export (query, rows, writer) of `count` rows."""
        tracemalloc.start()
        rows = selectors.enterprise_export_rows(whole[:count], year)
        write_workbook([("企业名录", columns, rows)])
        _, high = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return round(high / 1e6, 2)

    export_memory = {f"peak_mb_{k // 1000}k_rows": export_peak(k) for k in (10_000, n)}
    out = {
        "database": connection.vendor,
        "rows": n,
        "columns": len(columns),
        "file_mb": round(size / 1e6, 1),
        "export_end_to_end": rates(n, *full),
        "writer_only": rates(n, *writer),
        "xlsxwriter_constant_memory": {"rows": len(some), **rates(len(some), *old)},
        "writer_memory": memory,
        "export_memory": export_memory,
        "load_average_at_start": load_at_start,
        "load_average_at_end": [round(x, 1) for x in os.getloadavg()],
        "note": "shared, busy 2-core machine: wall figures vary run to run; CPU figures less",
    }
    print(json.dumps(out, ensure_ascii=False, indent=2))
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    target = ROOT / "bench" / "results" / f"export-{connection.vendor}.json"
    target.write_text(json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
