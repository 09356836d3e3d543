"""The admin's login-lockout section (django-axes) is Chinese like the rest of the admin."""

import pytest
from axes.models import AccessAttempt

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def test_axes_admin_speaks_chinese(client, users):
    AccessAttempt.objects.create(
        username="gxq",
        ip_address="10.0.0.8",
        user_agent="x",
        http_accept="*/*",
        path_info="/accounts/login/",
        get_data="",
        post_data="",
        failures_since_start=9,
    )
    client.force_login(users["admin"])

    index = client.get("/admin/", **ENGLISH).content.decode()
    attempts = client.get("/admin/axes/accessattempt/", **ENGLISH).content.decode()

    assert "登录安全（失败锁定）" in index and "登录尝试" in index and "登录日志" in index
    for english in ("Axes", "Access attempts", "Access logs", "Access failures"):
        assert english not in index
    for chinese in ("尝试时间", "IP 地址", "用户名", "访问路径", "失败次数", "已锁定"):
        assert chinese in attempts
    for english in ("Attempt Time", "IP Address", "Failed Logins", "Locked Out"):
        assert english not in attempts
