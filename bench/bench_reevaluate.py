"""`xinzhi reevaluate` from the database: enterprises/s and total (budget 100k ≤ 60 s).

Uses the page benchmark's database (`bench/bench_pages.py` creates and fills it):
  .venv/bin/python bench/bench_reevaluate.py [--workers 2] [--database-url postgres://…]
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


def _cpu_seconds() -> float:
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--var-dir", default="/tmp/xinzhi-bench")
    args = parser.parse_args()
    os.environ["XINZHI_VAR_DIR"] = args.var_dir
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from xinzhi.cultivation.models import Evaluation
    from xinzhi.cultivation.services import evaluations_refresh, policies_for
    from xinzhi.enterprises.models import Enterprise

    call_command("migrate", verbosity=0)
    enterprises = Enterprise.objects.unscoped()
    total = enterprises.count()
    if total < 1000:
        print("run bench/bench_pages.py first to create the 100k-enterprise database")
        return 2
    policies = len(policies_for(__import__("datetime").date.today()))
    started, cpu = time.perf_counter(), _cpu_seconds()
    written = evaluations_refresh(enterprises, workers=args.workers)
    elapsed = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu
    stored = Evaluation.objects.unscoped().count()
    per_100k = elapsed * 100_000 / total
    result = {
        "database": connection.vendor,
        "enterprises": total,
        "policies": policies,
        "rows_written": written,
        "rows_stored": stored,
        "seconds": round(elapsed, 1),
        "enterprises_per_s": round(total / elapsed),
        "seconds_per_100k": round(per_100k, 1),
        "budget_s_per_100k": 60,
        "workers": args.workers,
        # This process and its finished worker processes: what an idle 2-core machine would
        # spread over its cores (wall ≈ cpu / 2 at best).
        "cpu_seconds": round(cpu, 1),
        "load_average_at_end": [round(x, 1) for x in os.getloadavg()],
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"reevaluate-{connection.vendor}.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return 0 if per_100k <= 60 else 1


if __name__ == "__main__":
    sys.exit(main())
