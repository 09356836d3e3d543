from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from rich.progress import Progress

from xinzhi.demo.services import demo_load, demo_loaded_on, demo_summary


class Command(BaseCommand):
    help = "加载示例数据：武进区板块、演示账号、报道中的企业和约2000家合成企业（可重复执行）。"

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--synthetic", type=int, default=2000, help="合成企业数量（默认2000）")

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        if not settings.XINZHI_DEMO:
            raise CommandError("生产配置（XINZHI_DEMO=false）下不创建演示账号和示例数据。")
        with Progress(disable=not self.stdout.isatty()) as progress:
            task = progress.add_task("生成合成企业", total=options["synthetic"])
            result = demo_load(
                synthetic=options["synthetic"], progress=lambda n: progress.advance(task, n)
            )
        if result["already_loaded"]:
            # A re-run creates nothing: say so and what is there, not creation counts.
            counts = "，".join(f"{k} {v}" for k, v in demo_summary().items())
            self.stdout.write(
                f"示例数据已于 {demo_loaded_on():%Y-%m-%d} 加载，本次未重复创建"
                f"（与日期相关的示例数据以加载当日为准）。现有：{counts}。"
            )
            return
        self.stdout.write(
            f"示例数据就绪：板块 {result['jurisdictions']} 个，演示账号 {result['users']} 个，"
            f"新增报道企业 {result['story']} 家，新增合成企业 {result['synthetic']} 家。"
        )
        extra = {
            k: v
            for k, v in result.items()
            if k not in ("jurisdictions", "users", "story", "synthetic", "already_loaded")
        }
        if extra:
            self.stdout.write("其他示例数据：" + "，".join(f"{k} {v}" for k, v in extra.items()))
