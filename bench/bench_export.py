"""Excel export of the enterprise list (企业名录导出) at 100k enterprises.

Times the whole export as the page runs it (query + columns + xlsxwriter) and the writer alone
on rows already in memory.

  .venv/bin/python bench/bench_export.py [--rows 100000] [--database-url postgres://…]

Budget (issue 15): ≥ 20,000 rows/s written.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--var-dir", default=str(ROOT / "var" / "bench"))
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
    from xinzhi.spreadsheets.export import write_workbook

    admin = User.objects.filter(role="admin", is_active=True).first()
    queryset, year = selectors.enterprise_list(user=admin, params=QueryDict())
    queryset = queryset.prefetch_related("tags")[: args.rows]
    columns = enterprise_columns(year)
    started, cpu = time.perf_counter(), time.process_time()
    book = write_workbook([("企业名录", columns, queryset.iterator(chunk_size=2000))])
    full, full_cpu = time.perf_counter() - started, time.process_time() - cpu
    size = len(book.read())
    rows = list(queryset.iterator(chunk_size=2000))
    # The writer alone: rows as plain values, so only cell conversion and xlsxwriter count.
    plain = [[column.value(row) for column in columns] for row in rows]
    getters = [lambda r, i=i: r[i] for i in range(len(columns))]
    from xinzhi.spreadsheets.export import Column

    flat = [Column(c.header, g, c.width, c.kind) for c, g in zip(columns, getters, strict=True)]
    started, cpu = time.perf_counter(), time.process_time()
    write_workbook([("企业名录", flat, plain)])
    writer, writer_cpu = time.perf_counter() - started, time.process_time() - cpu
    n = len(rows)
    out = {
        "database": connection.vendor,
        "rows": n,
        "columns": len(columns),
        "file_mb": round(size / 1e6, 1),
        # rows per CPU second of this process: the idle-machine estimate (SQLite in-process).
        "export_end_to_end": {
            "seconds": round(full, 1),
            "rows_per_s": round(n / full),
            "rows_per_cpu_s": round(n / full_cpu),
        },
        "writer_only": {
            "seconds": round(writer, 1),
            "rows_per_s": round(n / writer),
            "rows_per_cpu_s": round(n / writer_cpu),
        },
        "load_average_at_end": [round(x, 1) for x in os.getloadavg()],
        "note": "shared, busy 2-core machine: figures vary run to run",
    }
    print(json.dumps(out, ensure_ascii=False, indent=2))
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    target = ROOT / "bench" / "results" / f"export-{connection.vendor}.json"
    target.write_text(json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
