"""SQLite backup and restore (备份与恢复) that cannot silently lose or replay changes.

A backup is taken with SQLite's online backup API, so it is consistent while the site runs and
includes what is still in the write-ahead log. A restore refuses to run while the server or any
other process has the database open, keeps the current database aside, and deletes the old
`-wal`/`-shm` files: SQLite would otherwise replay an old write-ahead log into the restored file.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from django.conf import settings
from django.utils import timezone


class BackupError(Exception):
    """A backup or restore step failed; the message says what to do."""


def sqlite_path() -> Path:
    """The file of the default database; backups of PostgreSQL are pg_dump's job."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        raise BackupError(
            "当前数据库不是 SQLite：PostgreSQL 请用 pg_dump -Fc 备份、pg_restore 恢复"
            "（见 docs/operations.md）。"
        )
    return Path(database["NAME"])


def sqlite_backup(database: Path, target: Path) -> None:
    """Copy the live database to `target` (which must not exist) and verify the copy."""
    if target.exists():
        raise BackupError(f"备份文件已存在：{target}（请换一个文件名，不覆盖已有备份）")
    if not database.exists():
        raise BackupError(f"数据库文件不存在：{database}")
    target.parent.mkdir(parents=True, exist_ok=True)
    _copy(database, target)
    _verify(target)


def sqlite_restore(backup: Path, database: Path, *, pidfile: Path | None = None) -> Path | None:
    """Replace `database` by `backup`; returns where the replaced database was kept."""
    if not backup.is_file():
        raise BackupError(f"备份文件不存在：{backup}")
    _verify(backup)
    _refuse_while_running(pidfile)
    kept = None
    if database.exists():
        _refuse_while_open(database)
        kept = database.with_name(
            f"{database.name}.before-restore-{timezone.localtime():%Y%m%d-%H%M%S}"
        )
        _copy(database, kept)
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    partial = database.with_name(f"{database.name}.restoring")
    partial.unlink(missing_ok=True)
    _copy(backup, partial)
    os.replace(partial, database)
    _verify(database)
    return kept


def _copy(source: Path, target: Path) -> None:
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        # The copy is a standalone file: no write-ahead log to carry around with it.
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        dst.close()
        src.close()


def _verify(path: Path) -> None:
    connection = sqlite3.connect(path)
    try:
        result = connection.execute("PRAGMA integrity_check").fetchone()[0]
        tables = connection.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
        ).fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"不是可用的 SQLite 数据库：{path}（{exc}）") from exc
    finally:
        connection.close()
    if result != "ok":
        raise BackupError(f"数据库完整性检查未通过：{path}（{result}）")
    if tables != 1:
        raise BackupError(f"不是新质平台的数据库（没有 django_migrations 表）：{path}")


def _refuse_while_running(pidfile: Path | None) -> None:
    if pidfile is None or not pidfile.exists():
        return
    try:
        pid = int(pidfile.read_text().strip())
        os.kill(pid, 0)
    except (ValueError, ProcessLookupError):
        return  # a stale pid file from a server that did not shut down cleanly
    except PermissionError:
        pass  # the process exists but belongs to another user
    raise BackupError(f"服务器仍在运行（gunicorn 进程 {pid}，{pidfile}），请先停止再恢复。")


def _refuse_while_open(database: Path) -> None:
    # Leaving WAL mode needs the database to itself: it fails while any other connection
    # has it open, which is exactly when replacing the file would lose or mix changes.
    probe = sqlite3.connect(database, timeout=0.2)
    try:
        probe.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.OperationalError as exc:
        raise BackupError(
            f"数据库正被其他进程使用（{exc}）：请先停止服务器和后台任务再恢复。"
        ) from exc
    finally:
        probe.close()
