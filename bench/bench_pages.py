"""Page latency at scale: enterprise list, detail and API, p50/p95 (budget p95 ≤ 300 ms).

Usage:
  .venv/bin/python bench/bench_pages.py --count 100000                     # SQLite file
  .venv/bin/python bench/bench_pages.py --count 100000 --database-url postgres://…
Requests go through Django's full stack in process (middleware, scoping, templates), without
network; the database is a separate benchmark database, created and filled on first use.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--var-dir", default="/tmp/xinzhi-bench")
    args = parser.parse_args()

    os.environ["XINZHI_VAR_DIR"] = args.var_dir
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from xinzhi.accounts.services import jurisdictions_load
    from xinzhi.demo.generator import generate_enterprises
    from xinzhi.demo.services import demo_users_create
    from xinzhi.enterprises.models import AnnualFigures, Enterprise

    call_command("migrate", verbosity=0)
    jurisdictions_load()
    demo_users_create()
    existing = Enterprise.objects.unscoped().count()
    if existing < args.count:
        started = time.perf_counter()
        generate_enterprises(args.count - existing, seed=99, with_ip=False, batch=5000)
        print(f"generated {args.count - existing} enterprises in "
              f"{time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    total = Enterprise.objects.unscoped().count()
    figures = AnnualFigures.objects.unscoped().count()

    gxq_first = Enterprise.objects.unscoped().filter(jurisdiction__code="wjhtz").order_by("id")
    sample_ids = list(gxq_first.values_list("id", flat=True)[:: max(1, total // 400)][:args.repeat])
    some_name = gxq_first.values_list("name", flat=True)[1234]

    scenarios = [
        ("list, officer (高新区)", "gxq", lambda i: "/enterprises/"),
        ("list, admin, page 800", "admin", lambda i: "/enterprises/?page=800"),
        ("list, search 2 chars", "gxq", lambda i: "/enterprises/?q=" + some_name[2:4]),
        ("list, search credit-code prefix", "admin",
         lambda i: "/enterprises/?q=91320412" + "0123456789ABCDEF"[i % 16]),
        ("list, 高企 sorted by revenue", "admin",
         lambda i: "/enterprises/?title=hnte&sort=-revenue"),
        ("list, tag + year 2024", "gxq", lambda i: "/enterprises/?tag=新能源汽车&year=2024"),
        ("detail", "gxq", lambda i: f"/enterprises/{sample_ids[i % len(sample_ids)]}/"),
        ("API list", "gxq", lambda i: "/api/enterprises?page=3"),
        ("API detail", "gxq", lambda i: f"/api/enterprises/{sample_ids[i % len(sample_ids)]}"),
        ("home (counts)", "leader", lambda i: "/"),
        ("ladder dashboard, admin", "admin", lambda i: "/cultivation/"),
        ("ladder dashboard, officer", "gxq", lambda i: "/cultivation/"),
        ("candidates 科技型中小企业", "gxq", lambda i: "/cultivation/candidates/tech_sme/"),
        ("health card (live, 11 policies)", "gxq",
         lambda i: f"/cultivation/enterprises/{sample_ids[i % len(sample_ids)]}/card/"),
    ]
    def budget(label: str) -> int:
        return 500 if "dashboard" in label or label.startswith("home") else 300

    results = []
    clients: dict[str, Client] = {}
    from xinzhi.accounts.models import User

    for label, username, url in scenarios:
        client = clients.get(username)
        if client is None:
            client = clients[username] = Client()
            client.force_login(User.objects.get(username=username))
        client.get(url(0))  # warm caches
        timings = []
        for i in range(args.repeat):
            started = time.perf_counter()
            response = client.get(url(i))
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (label, response.status_code)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        results.append({"scenario": label, "p50_ms": round(statistics.median(timings), 1),
                        "p95_ms": round(p95, 1), "budget_ms": budget(label),
                        "ok": p95 <= budget(label)})

    print(f"\n{connection.vendor}: {total} enterprises, {figures} annual-figure rows, "
          f"{args.repeat} requests per scenario")
    print(f"{'scenario':36} {'p50 ms':>8} {'p95 ms':>8}  budget")
    for row in results:
        mark = "ok" if row["ok"] else "OVER"
        print(f"{row['scenario']:36} {row['p50_ms']:8.1f} {row['p95_ms']:8.1f}  "
              f"{row['budget_ms']} ms {mark}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"pages-{connection.vendor}.json").write_text(json.dumps(
        {"database": connection.vendor, "enterprises": total, "figures": figures,
         "results": results}, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
