"""Page latency at scale, p50/p95 (budget p95 ≤ 300 ms, dashboards ≤ 500 ms), and growth.

Usage:
  .venv/bin/xinzhi generate_scale …  (or let this script generate) then
  .venv/bin/python bench/bench_pages.py --count 10000     # var/bench/sqlite-10000/
  .venv/bin/python bench/bench_pages.py --count 100000    # var/bench/sqlite-100000/
  .venv/bin/python bench/bench_pages.py --count 100000 --database-url postgres://…
  .venv/bin/python bench/bench_pages.py --compare         # 10k against 100k, flags > 1.5×
Requests go through Django's full stack in process (middleware, scoping, templates), without
network; each size has its own database, created and filled on first use. Results go to
bench/results/pages-<database>-<count>.json.
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
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))
GROWTH_LIMIT = 1.5


def compare(database: str, small: int, large: int) -> int:
    """Each scenario's CPU p50 at `large` against `small` enterprises; flag growth above 1.5×.

    CPU time of the benchmark process (SQLite runs inside it) rather than wall time: on a
    shared machine wall time measures the neighbours as much as the page.
    """
    try:
        a = json.loads((RESULTS / f"pages-{database}-{small}.json").read_text(encoding="utf-8"))
        b = json.loads((RESULTS / f"pages-{database}-{large}.json").read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        print(f"missing result file: {exc.filename}")
        return 2
    before = {r["scenario"]: r for r in a["results"]}
    rows = []
    print(
        f"\n{database}: CPU p50 at {small:,} → {large:,} enterprises "
        f"(flag: growth > {GROWTH_LIMIT}×)"
    )
    print(f"{'scenario':40} {'CPU small':>10} {'CPU large':>10} {'growth':>7}")
    for r in b["results"]:
        old = before.get(r["scenario"])
        if old is None:
            continue
        small_ms, large_ms = old["cpu_p50_ms"], r["cpu_p50_ms"]
        growth = large_ms / small_ms if small_ms else float("inf")
        flag = growth > GROWTH_LIMIT
        rows.append(
            {
                "scenario": r["scenario"],
                "cpu_p50_small_ms": small_ms,
                "cpu_p50_large_ms": large_ms,
                "wall_p50_small_ms": old["p50_ms"],
                "wall_p50_large_ms": r["p50_ms"],
                "growth": round(growth, 2),
                "flag": flag,
            }
        )
        print(
            f"{r['scenario']:40} {small_ms:10.1f} {large_ms:10.1f} {growth:6.2f}×"
            f"{'  GROWS' if flag else ''}"
        )
    (RESULTS / f"pages-{database}-growth.json").write_text(
        json.dumps(
            {
                "database": database,
                "small": small,
                "large": large,
                "limit": GROWTH_LIMIT,
                "rows": rows,
            },
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    return 1 if any(r["flag"] for r in rows) else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--var-dir", default="", help="default var/bench/sqlite-<count>")
    parser.add_argument("--compare", action="store_true", help="compare saved 10k/100k results")
    parser.add_argument("--database", default="sqlite", help="with --compare: sqlite|postgresql")
    args = parser.parse_args()
    if args.compare:
        return compare(args.database, 10_000, 100_000)

    default_dir = ROOT / "var" / "bench" / f"sqlite-{args.count}"
    os.environ["XINZHI_VAR_DIR"] = args.var_dir or str(default_dir)
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
    from xinzhi.core.pagination import keyset_page
    from xinzhi.cultivation.models import Evaluation
    from xinzhi.cultivation.services import evaluations_refresh
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
        print(
            f"generated {args.count - existing} enterprises in "
            f"{time.perf_counter() - started:.1f} s"
        )
    if not Evaluation.objects.unscoped().exists():
        evaluations_refresh(Enterprise.objects.unscoped(), workers=2)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    total = Enterprise.objects.unscoped().count()
    figures = AnnualFigures.objects.unscoped().count()

    gxq_first = Enterprise.objects.unscoped().filter(jurisdiction__code="wjhtz").order_by("id")
    gxq_total = gxq_first.count()
    sample_ids = list(
        gxq_first.values_list("id", flat=True)[:: max(1, total // 400)][: args.repeat]
    )
    some_name = gxq_first.values_list("name", flat=True)[min(1234, gxq_total // 2)]
    # A cursor 100 rows before the end of 高新区's list by name: the deepest page there is.
    by_name = gxq_first.order_by("name", "id")
    deep_cursor = keyset_page(by_name, size=1, offset=max(0, gxq_total - 102)).next_cursor

    scenarios = [
        ("list, officer (高新区)", "gxq", lambda i: "/enterprises/"),
        ("list, admin, page 800 (capped at 200)", "admin", lambda i: "/enterprises/?page=800"),
        ("list, search 2 chars", "gxq", lambda i: "/enterprises/?q=" + some_name[2:4]),
        (
            "list, search credit-code prefix",
            "admin",
            lambda i: "/enterprises/?q=91320412" + "0123456789ABCDEF"[i % 16],
        ),
        (
            "list, 高企 sorted by revenue",
            "admin",
            lambda i: "/enterprises/?title=hnte&sort=-revenue",
        ),
        ("list, tag + year 2024", "gxq", lambda i: "/enterprises/?tag=新能源汽车&year=2024"),
        ("detail", "gxq", lambda i: f"/enterprises/{sample_ids[i % len(sample_ids)]}/"),
        ("API list", "gxq", lambda i: "/api/enterprises?page=3"),
        (
            "API list, last page by cursor",
            "gxq",
            lambda i: f"/api/enterprises?sort=name&after={deep_cursor}",
        ),
        ("API detail", "gxq", lambda i: f"/api/enterprises/{sample_ids[i % len(sample_ids)]}"),
        ("home (counts)", "leader", lambda i: "/"),
        ("ladder dashboard, admin", "admin", lambda i: "/cultivation/"),
        ("ladder dashboard, officer", "gxq", lambda i: "/cultivation/"),
        ("candidates 科技型中小企业", "gxq", lambda i: "/cultivation/candidates/tech_sme/"),
        (
            "health card (live, 11 policies)",
            "gxq",
            lambda i: f"/cultivation/enterprises/{sample_ids[i % len(sample_ids)]}/card/",
        ),
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
        timings, cpu = [], []
        for i in range(args.repeat):
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(url(i))
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
            assert response.status_code == 200, (label, response.status_code)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        results.append(
            {
                "scenario": label,
                "p50_ms": round(statistics.median(timings), 1),
                "p95_ms": round(p95, 1),
                "cpu_p50_ms": round(statistics.median(cpu), 1),
                "budget_ms": budget(label),
                "ok": p95 <= budget(label),
            }
        )

    print(
        f"\n{connection.vendor}: {total} enterprises, {figures} annual-figure rows, "
        f"{args.repeat} requests per scenario (a shared, busy 2-core machine)"
    )
    print(f"{'scenario':40} {'p50 ms':>8} {'p95 ms':>8} {'CPU p50':>8}  budget")
    for row in results:
        mark = "ok" if row["ok"] else "OVER"
        print(
            f"{row['scenario']:40} {row['p50_ms']:8.1f} {row['p95_ms']:8.1f} "
            f"{row['cpu_p50_ms']:8.1f}  "
            f"{row['budget_ms']} ms {mark}"
        )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"pages-{connection.vendor}-{args.count}.json").write_text(
        json.dumps(
            {
                "database": connection.vendor,
                "enterprises": total,
                "figures": figures,
                "load_average": os.getloadavg(),
                "results": results,
            },
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
