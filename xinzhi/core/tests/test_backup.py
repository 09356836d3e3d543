"""SQLite backup then restore gives back exactly the backed-up database, even with a stale
write-ahead log next to the file (a plain copy would replay it), and refuses while in use."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from xinzhi.core.backup import BackupError, sqlite_backup, sqlite_restore

ROOT = Path(__file__).resolve().parents[3]


def manage(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.test", "XINZHI_VAR_DIR": str(tmp_path)})
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def dump(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def usernames(path: Path) -> list[tuple[str, str]]:
    connection = sqlite3.connect(path)
    try:
        sql = "SELECT username, full_name FROM accounts_user ORDER BY username"
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


CREATE = (
    "from xinzhi.accounts.services import user_create;"
    "[user_create(username=n, password='Backup-test-2026', role='leader') for n in {names}]"
)
# After the change, exit without closing the connection: the change stays in the -wal file.
CHANGE_AND_CRASH = (
    "import os; from xinzhi.accounts.models import User;"
    "from xinzhi.accounts.services import user_create;"
    "user_create(username='after', password='Backup-test-2026', role='leader');"
    "User.objects.filter(username='b').update(full_name='改过'); os._exit(0)"
)


def test_backup_then_restore_is_lossless_and_drops_a_stale_write_ahead_log(tmp_path):
    database = tmp_path / "xinzhi.sqlite3"
    backup = tmp_path / "backups" / "xinzhi-backup.sqlite3"
    assert manage(tmp_path, "migrate", "-v0").returncode == 0
    created = manage(tmp_path, "shell", "-c", CREATE.format(names="['a', 'b']"))
    assert created.returncode == 0, created.stderr

    done = manage(tmp_path, "backup_database", str(backup))
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"已备份到 {backup}（完整性检查通过）。\n"
    backed_up = dump(backup)
    assert usernames(backup) == [("a", ""), ("b", "")]

    crashed = manage(tmp_path, "shell", "-c", CHANGE_AND_CRASH)
    assert crashed.returncode == 0, crashed.stderr
    assert Path(f"{database}-wal").stat().st_size > 0  # the change lives only in the log

    restored = manage(tmp_path, "restore_database", str(backup))
    assert restored.returncode == 0, restored.stderr
    kept = next(tmp_path.glob("xinzhi.sqlite3.before-restore-*"))
    assert restored.stdout == (f"已从 {backup} 恢复 {database}。\n恢复前的数据库另存为 {kept}。\n")
    assert not Path(f"{database}-wal").exists()
    assert not Path(f"{database}-shm").exists()
    assert dump(database) == backed_up
    assert usernames(database) == [("a", ""), ("b", "")]
    assert usernames(kept) == [("a", ""), ("after", ""), ("b", "改过")]  # nothing thrown away


@pytest.fixture
def sqlite_pair(tmp_path):
    database = tmp_path / "xinzhi.sqlite3"
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE django_migrations (id integer)")
    connection.commit()
    connection.close()
    backup = tmp_path / "backup.sqlite3"
    sqlite_backup(database, backup)
    return database, backup


def test_restore_refuses_while_another_process_has_the_database_open(sqlite_pair):
    database, backup = sqlite_pair
    server = sqlite3.connect(database)
    server.execute("SELECT count(*) FROM django_migrations").fetchone()
    try:
        with pytest.raises(BackupError, match="数据库正被其他进程使用"):
            sqlite_restore(backup, database)
    finally:
        server.close()
    assert list(database.parent.glob("*.before-restore-*")) == []


def test_restore_refuses_while_the_gunicorn_pid_file_names_a_live_process(sqlite_pair, tmp_path):
    database, backup = sqlite_pair
    pidfile = tmp_path / "gunicorn.pid"
    pidfile.write_text(f"{os.getpid()}\n")
    with pytest.raises(BackupError) as refused:
        sqlite_restore(backup, database, pidfile=pidfile)
    assert str(refused.value) == (
        f"服务器仍在运行（gunicorn 进程 {os.getpid()}，{pidfile}），请先停止再恢复。"
    )


def test_backup_never_overwrites_and_restore_checks_the_file(sqlite_pair, tmp_path):
    database, backup = sqlite_pair
    with pytest.raises(BackupError, match="备份文件已存在"):
        sqlite_backup(database, backup)
    not_ours = tmp_path / "other.sqlite3"
    sqlite3.connect(not_ours).close()
    with pytest.raises(BackupError, match="不是新质平台的数据库"):
        sqlite_restore(not_ours, database)
