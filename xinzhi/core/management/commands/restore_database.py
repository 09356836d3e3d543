from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from xinzhi.core.backup import BackupError, sqlite_path, sqlite_restore


class Command(BaseCommand):
    help = (
        "用备份文件替换 SQLite 数据库：服务器运行时拒绝执行；原数据库另存一份；"
        "删除旧的 -wal/-shm 文件，以免 SQLite 把旧日志重放进恢复后的数据库。"
    )

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("backup", type=Path, help="由 backup_database 生成的备份文件")

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        connections.close_all()
        try:
            database = sqlite_path()
            kept = sqlite_restore(
                options["backup"], database, pidfile=Path(settings.VAR_DIR) / "gunicorn.pid"
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已从 {options['backup']} 恢复 {database}。")
        if kept is not None:
            self.stdout.write(f"恢复前的数据库另存为 {kept}。")
