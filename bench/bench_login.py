"""Memory of simultaneous logins in one worker: Django's default Argon2 against ours.

Usage:
  .venv/bin/python bench/bench_login.py [--logins 20]
Each configuration runs in a fresh process that sets Django up (the size of a worker before
any request), then verifies `--logins` passwords at once on as many threads (argon2-cffi
releases the GIL, so the hashes run truly side by side, as in a threaded gunicorn worker),
and reports the process's peak resident memory. Budget: under 200 MB per worker.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = {
    "django-default": "django.contrib.auth.hashers.Argon2PasswordHasher",
    "xinzhi": "xinzhi.accounts.hashers.ServerArgon2PasswordHasher",
}


def child(hasher_path: str, encoded: str, logins: int) -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("XINZHI_VAR_DIR", "/tmp/xinzhi-bench-login")
    import django

    django.setup()
    from django.utils.module_loading import import_string

    hasher = import_string(hasher_path)()
    idle_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = threading.Barrier(logins)
    seconds: list[float] = []

    def login() -> None:
        start.wait()
        began = time.perf_counter()
        assert hasher.verify("correct horse battery", encoded)
        seconds.append(time.perf_counter() - began)

    threads = [threading.Thread(target=login) for _ in range(logins)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "hasher": hasher_path,
        "parameters": encoded.split("$")[3],
        "logins": logins,
        "worker_before_mb": round(idle_mb, 1),
        "worker_peak_mb": round(peak_mb, 1),
        "wall_s": round(wall, 2),
        "slowest_login_s": round(max(seconds), 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--logins", type=int, default=20)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--encoded", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.encoded, args.logins)))
        return 0
    sys.path.insert(0, str(ROOT))
    from argon2 import PasswordHasher, Type

    results = []
    for name, path in CONFIGS.items():
        # The stored hash is made here, so the worker's peak counts only the logins.
        m, t, p = (102400, 2, 8) if name == "django-default" else (19456, 2, 1)
        stored = PasswordHasher(time_cost=t, memory_cost=m, parallelism=p, type=Type.ID).hash(
            "correct horse battery"
        )
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                path,
                "--encoded",
                "argon2" + stored,
                "--logins",
                str(args.logins),
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        row = {"config": name, **json.loads(out.strip().splitlines()[-1])}
        row["ok"] = row["worker_peak_mb"] < 200
        results.append(row)
    print(f"{'config':16} {'params':16} {'before MB':>10} {'peak MB':>8} {'wall s':>7}  budget")
    for r in results:
        mark = "ok" if r["ok"] else "OVER"
        print(
            f"{r['config']:16} {r['parameters']:16} {r['worker_before_mb']:10.1f} "
            f"{r['worker_peak_mb']:8.1f} {r['wall_s']:7.2f}  <200 MB {mark}"
        )
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(exist_ok=True)
    (out_dir / "login.json").write_text(
        json.dumps({"logins": args.logins, "results": results}, ensure_ascii=False, indent=2),
        encoding="utf-8",
    )
    return 0 if results[-1]["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
