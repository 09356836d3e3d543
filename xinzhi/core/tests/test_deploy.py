import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def run_check(extra_env: dict[str, str], tmp_var: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.production",
                "XINZHI_VAR_DIR": str(tmp_var), **extra_env})
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


def test_production_settings_pass_check_deploy(tmp_path):
    result = run_check({"DJANGO_SECRET_KEY": "k" * 20 + "-Xinzhi-production-secret-0123456789-abc",
                        "DJANGO_ALLOWED_HOSTS": "kjj.example.gov.cn"}, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_check({"DJANGO_ALLOWED_HOSTS": "kjj.example.gov.cn"}, tmp_path)
    assert result.returncode != 0
    assert "Environment variable DJANGO_SECRET_KEY is required." in result.stderr
