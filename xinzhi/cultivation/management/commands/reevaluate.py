import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from rich.progress import Progress

from xinzhi.core.dbstats import planner_statistics_refresh
from xinzhi.cultivation.services import evaluations_refresh, policies_for
from xinzhi.enterprises.models import Enterprise


class Command(BaseCommand):
    help = "按评估基准日的现行政策重新评估全部企业并保存结论（xinzhi reevaluate）。"

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument(
            "--as-of", help="评估基准日 YYYY-MM-DD（默认今天），决定适用哪一年度的规则"
        )
        parser.add_argument("--workers", type=int, default=2, help="并行进程数（默认2）")
        parser.add_argument("--jurisdiction", help="只评估某板块（编码，如 wjhtz）")

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        as_of = None
        if options["as_of"]:
            try:
                as_of = dt.date.fromisoformat(options["as_of"])
            except ValueError as exc:
                raise CommandError(f"--as-of 日期格式应为 YYYY-MM-DD：{options['as_of']}") from exc
        if options["workers"] < 1:
            raise CommandError("--workers 至少为 1")
        enterprises = Enterprise.objects.unscoped()
        if options["jurisdiction"]:
            enterprises = enterprises.filter(jurisdiction__code=options["jurisdiction"])
            if not enterprises.exists():
                raise CommandError(f"板块 {options['jurisdiction']} 下没有企业（或编码不存在）")
        total = enterprises.count()
        policies = policies_for(as_of or timezone.localdate())
        self.stdout.write(
            f"评估 {total} 家企业 × {len(policies)} 项政策：" + "、".join(p.id for p in policies)
        )
        started = time.perf_counter()
        with Progress(disable=not self.stdout.isatty()) as progress:
            task = progress.add_task("重新评估", total=total)
            written = evaluations_refresh(
                enterprises,
                as_of=as_of,
                workers=options["workers"],
                progress=lambda n: progress.advance(task, n),
            )
        elapsed = time.perf_counter() - started
        planner_statistics_refresh()  # thousands of rows replaced: keep the planner informed
        self.stdout.write(
            f"完成：保存 {written} 条评估结论，用时 {elapsed:.1f} 秒"
            f"（{total / elapsed if elapsed else 0:.0f} 家/秒）。"
        )
