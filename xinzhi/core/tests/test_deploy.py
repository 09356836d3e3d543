import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def run_check(extra_env: dict[str, str], tmp_var: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "XINZHI_VAR_DIR": str(tmp_var),
            **extra_env,
        }
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy(tmp_path):
    result = run_check(
        {
            "DJANGO_SECRET_KEY": "k" * 20 + "-Xinzhi-production-secret-0123456789-abc",
            "DJANGO_ALLOWED_HOSTS": "kjj.example.gov.cn",
        },
        tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_check({"DJANGO_ALLOWED_HOSTS": "kjj.example.gov.cn"}, tmp_path)
    assert result.returncode != 0
    assert "Environment variable DJANGO_SECRET_KEY is required." in result.stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Site:
    """A browser-like HTTP client for a site behind an HTTPS proxy (cookies kept by hand,
    because the production cookies are `Secure` and this client speaks plain HTTP)."""

    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.origin = f"https://127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(NoRedirect)

    def request(self, path: str, data: dict[str, str] | None = None):
        headers = {"X-Forwarded-Proto": "https", "Host": f"127.0.0.1:{self.base.rsplit(':', 1)[1]}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers["Origin"] = self.origin
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        req = urllib.request.Request(self.base + path, data=body, headers=headers)  # noqa: S310
        try:
            response = self.opener.open(req, timeout=30)
        except urllib.error.HTTPError as exc:
            response = exc
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, dict(response.headers), response.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003
        return None


def test_documented_deploy_script_serves_the_site_through_gunicorn(tmp_path):
    """scripts/deploy (migrate, collectstatic with the manifest storage, gunicorn) serves the
    login page, a logged-in page, hashed static assets, the favicon and /healthz."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        {
            "XINZHI_VAR_DIR": str(tmp_path),
            "XINZHI_BIND": f"127.0.0.1:{port}",
            "XINZHI_WORKERS": "1",
            "XINZHI_THREADS": "2",
            "DJANGO_SECRET_KEY": "k" * 20 + "-Xinzhi-production-secret-0123456789-abc",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        }
    )
    server = subprocess.Popen(
        ["scripts/deploy"],  # noqa: S607 - the script under test, run from the repository
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    output: list[str] = []
    try:
        deadline = time.monotonic() + 240
        for line in server.stdout:
            output.append(line)
            if "Xinzhi is running" in line or time.monotonic() > deadline:
                break
        assert f"Xinzhi is running:  http://127.0.0.1:{port}/" in "".join(output), "".join(output)
        site = Site(port)

        # The ready message means the socket accepts connections: no retry loop here.
        status, _, body = site.request("/healthz")
        assert (status, json.loads(body)) == (200, {"status": "ok", "database": "sqlite"})

        status, _, body = site.request("/accounts/login/")
        page = body.decode()
        assert status == 200
        assert "新质 · 武进区科创服务平台" in page
        css = re.search(r'href="(/static/vendor/bootstrap/bootstrap\.min\.\w{12}\.css)"', page)
        assert css, page
        status, headers, body = site.request(css.group(1))
        vendored = (ROOT / "xinzhi/static/vendor/bootstrap/bootstrap.min.css").read_bytes()
        assert status == 200
        assert headers["Cache-Control"] == "max-age=315360000, public, immutable"
        # The manifest storage rewrote only the source map reference to its hashed name.
        assert body.startswith(vendored[:200])
        assert re.search(rb"sourceMappingURL=bootstrap\.min\.css\.[0-9a-f]{12}\.map", body)
        status, _, body = site.request("/favicon.ico")
        assert (status, body) == (200, (ROOT / "xinzhi/public/favicon.ico").read_bytes())

        create = (
            "from xinzhi.accounts.services import user_create;"
            "user_create(username='ops', password='Deploy-check-2026', role='admin',"
            " full_name='运维')"
        )
        subprocess.run(  # noqa: S603 - fixed arguments
            [sys.executable, "manage.py", "shell", "-c", create],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.production"},
            check=True,
            timeout=120,
        )
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, headers, _ = site.request(
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "username": "ops", "password": "Deploy-check-2026"},
        )
        assert (status, headers["Location"]) == (302, "/")
        status, _, body = site.request("/")
        assert status == 200
        assert '<span data-testid="current-user">运维 · 区管理员</span>' in body.decode()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
