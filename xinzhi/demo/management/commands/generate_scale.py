import time

from django.core.management.base import BaseCommand
from rich.progress import Progress

from xinzhi.accounts.services import jurisdictions_load
from xinzhi.demo.generator import generate_enterprises


class Command(BaseCommand):
    help = "生成大规模合成企业（基准测试用，默认100000家）。"

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--count", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--no-ip", action="store_true", help="不生成知识产权记录（更快）")

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        jurisdictions_load()
        started = time.perf_counter()
        with Progress(disable=not self.stdout.isatty()) as progress:
            task = progress.add_task("生成合成企业", total=options["count"])
            created = generate_enterprises(
                options["count"],
                seed=options["seed"],
                with_ip=not options["no_ip"],
                batch=5000,
                progress=lambda n: progress.advance(task, n),
            )
        elapsed = time.perf_counter() - started
        self.stdout.write(f"已生成 {created} 家企业，用时 {elapsed:.1f} 秒。")
