"""gunicorn settings shared by `make demo` and `scripts/deploy`, read from the environment.

The "running" message is printed from `when_ready`, i.e. once the socket is bound and accepts
connections, so whoever reads it can open the address at once.
"""

import sys
from pathlib import Path

from config.env import env_bool, env_int, env_str

bind = env_str("XINZHI_BIND", "127.0.0.1:8000")
workers = env_int("XINZHI_WORKERS", 3)
threads = env_int("XINZHI_THREADS", 4)
# The control socket defaults to a file under $HOME, which a service account may not have.
control_socket_disable = True
# restore_database refuses to replace the database while this file names a live process.
_var = Path(env_str("XINZHI_VAR_DIR", str(Path(__file__).resolve().parent.parent / "var")))
pidfile = str(_var / "gunicorn.pid")
accesslog = "-"
loglevel = env_str("XINZHI_GUNICORN_LOG_LEVEL", "warning")

DEMO_LOGINS = """\
  演示账号 demo logins (密码 password: xinzhi-demo)
    admin   区管理员 bureau admin
    gxq     板块专员 武进国家高新区 officer
    xth     板块专员 常州西太湖科技产业园 officer
    expert  评审专家 reviewer
    leader  领导 leader
    qiye    企业用户 领先光学技术（江苏）有限公司 (企业管理员)
    qiye2   企业用户 常州优磁科技有限公司 (企业管理员)
"""


def when_ready(server) -> None:
    url = f"http://{bind}/"
    lines = ["", f"  新质平台已启动 Xinzhi is running:  {url}"]
    if env_bool("XINZHI_DEMO_BANNER", False):
        lines.append(DEMO_LOGINS.rstrip("\n"))
    lines += [f"  API 文档: {url}api/docs   按 Ctrl+C 停止", ""]
    print("\n".join(lines), file=sys.stdout, flush=True)
