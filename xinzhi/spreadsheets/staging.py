"""Checked uploads kept on the server between 试导入 and 正式导入 (待导入文件).

After a successful dry run the file is stored under VAR_DIR with a random token, tied to the
user who uploaded it, so committing writes exactly the bytes that were checked without choosing
the file again. A user has at most one staged file; files expire after `TTL_SECONDS`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from xinzhi.spreadsheets.importing import MAX_BYTES, ImportFileError

TTL_SECONDS = 30 * 60
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


@dataclass(frozen=True)
class StagedFile:
    token: str
    digest: str  # SHA-256 of the checked bytes; the commit form posts it back
    name: str


def _directory() -> Path:
    # Not under MEDIA_ROOT: staged files must never be served.
    path = Path(settings.VAR_DIR) / "import-staging"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _paths(user_id: int, token: str) -> tuple[Path, Path]:
    base = _directory() / f"{int(user_id)}-{token}"
    return base.with_suffix(".xlsx"), base.with_suffix(".json")


def _write(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _remove(*paths: Path) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def _purge(user_id: int, now: float) -> None:
    """Drop expired files of everyone and any earlier file of this user."""
    for meta in _directory().glob("*.json"):
        data_path = meta.with_suffix(".xlsx")
        try:
            created = json.loads(meta.read_text())["created"]
        except (OSError, ValueError, KeyError, TypeError):
            created = 0
        if meta.name.startswith(f"{int(user_id)}-") or now - created > TTL_SECONDS:
            _remove(data_path, meta)


def stage_upload(*, user_id: int, data: bytes, name: str) -> StagedFile:
    """Keep a checked upload for the commit step; replaces the user's earlier one."""
    if len(data) > MAX_BYTES:
        raise ImportFileError(f"文件过大（{len(data) // 1024 // 1024} MB），上限 20 MB。")
    now = time.time()
    _purge(user_id, now)
    token = secrets.token_urlsafe(24)
    digest = hashlib.sha256(data).hexdigest()
    data_path, meta_path = _paths(user_id, token)
    _write(data_path, data)
    _write(meta_path, json.dumps({"digest": digest, "name": name[:200], "created": now}).encode())
    return StagedFile(token=token, digest=digest, name=name[:200])


def load_staged(*, user_id: int, token: str, digest: str) -> bytes:
    """The bytes checked in the dry run; refuses, in Chinese, a file expired or changed."""
    expired = ImportFileError(
        "试导入的文件已过期或不存在（保留 30 分钟），请重新选择文件并试导入。"
    )
    if not _TOKEN.fullmatch(token or ""):
        raise expired
    data_path, meta_path = _paths(user_id, token)
    try:
        meta = json.loads(meta_path.read_text())
        data = data_path.read_bytes()
    except (OSError, ValueError) as exc:
        raise expired from exc
    if time.time() - meta.get("created", 0) > TTL_SECONDS:
        _remove(data_path, meta_path)
        raise expired
    if hashlib.sha256(data).hexdigest() != meta.get("digest") or meta.get("digest") != digest:
        _remove(data_path, meta_path)
        raise ImportFileError("试导入后文件已发生变化，未写入任何数据；请重新选择文件并试导入。")
    return data


def discard_staged(*, user_id: int, token: str) -> None:
    if _TOKEN.fullmatch(token or ""):
        _remove(*_paths(user_id, token))
