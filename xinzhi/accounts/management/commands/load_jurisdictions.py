from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xinzhi.accounts.services import DEFAULT_JURISDICTIONS, jurisdictions_load
from xinzhi.core.exceptions import ApplicationError


class Command(BaseCommand):
    help = "从 YAML 文件加载或更新行政板块树（默认：武进区）。"

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--file", type=Path, default=DEFAULT_JURISDICTIONS)

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"文件不存在：{path}")
        try:
            count = jurisdictions_load(path=path)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"已加载 {count} 个板块。")
