from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xinzhi.chains.services import DEFAULT_CHAINS, chains_load
from xinzhi.core.exceptions import ApplicationError


class Command(BaseCommand):
    help = "从 YAML 文件加载或更新本区产业链及其环节（默认：武进区）。"

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--file", type=Path, default=DEFAULT_CHAINS)

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"文件不存在：{path}")
        try:
            counts = chains_load(path=path)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"已加载 {counts['chains']} 条产业链、{counts['nodes']} 个环节。")
