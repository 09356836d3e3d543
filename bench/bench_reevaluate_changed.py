"""Re-evaluation proportional to what changed, at 100k enterprises.

Times the re-evaluation an import of the first and the last enterprise triggers (it used to read
every enterprise between them: about 30 minutes) and `reevaluate --jurisdiction` for the
smallest 板块 with over 500 firms (it used to be slower than the whole district).

  .venv/bin/python bench/bench_reevaluate_changed.py [--var-dir var/bench] [--database-url …]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
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

    from xinzhi.cultivation.services import evaluations_refresh, evaluations_refresh_enterprises
    from xinzhi.enterprises.models import Enterprise

    ids = list(Enterprise.objects.unscoped().order_by("pk").values_list("pk", flat=True))
    started = time.perf_counter()
    evaluations_refresh_enterprises([ids[0], ids[-1]])
    two = time.perf_counter() - started
    sizes = Counter(Enterprise.objects.unscoped().values_list("jurisdiction__code", flat=True))
    code, count = min(((c, n) for c, n in sizes.items() if n > 500), key=lambda item: item[1])
    started = time.perf_counter()
    evaluations_refresh(Enterprise.objects.unscoped().filter(jurisdiction__code=code), workers=1)
    one_jurisdiction = time.perf_counter() - started
    out = {
        "database": connection.vendor,
        "enterprises": len(ids),
        "first_and_last_enterprise_seconds": round(two, 2),
        "jurisdiction": code,
        "jurisdiction_enterprises": count,
        "jurisdiction_seconds_one_worker": round(one_jurisdiction, 1),
        "load_average_at_end": [round(x, 1) for x in os.getloadavg()],
    }
    print(json.dumps(out, ensure_ascii=False, indent=2))
    target = ROOT / "bench" / "results" / f"reevaluate-changed-{connection.vendor}.json"
    target.write_text(json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
