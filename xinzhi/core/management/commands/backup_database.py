from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xinzhi.core.backup import BackupError, sqlite_backup, sqlite_path


class Command(BaseCommand):
    help = "备份 SQLite 数据库（在线备份，运行中也可执行），并检查备份文件的完整性。"

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument(
            "output", type=Path, help="备份文件路径，如 backups/xinzhi-20261201.sqlite3"
        )

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        try:
            sqlite_backup(sqlite_path(), options["output"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已备份到 {options['output']}（完整性检查通过）。")
