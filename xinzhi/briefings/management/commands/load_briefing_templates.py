from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xinzhi.briefings.defaults import DEFAULTS
from xinzhi.briefings.services import templates_load_defaults
from xinzhi.core.exceptions import ApplicationError


class Command(BaseCommand):
    help = "加载月报句式模板（默认：随应用发布的模板）；只补充缺少的，不覆盖已修改的模板。"

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--file", type=Path, default=DEFAULTS)

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"文件不存在：{path}")
        try:
            added = templates_load_defaults(path=path)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"已新增 {added} 条句式模板（已有的模板保持不变）。")
