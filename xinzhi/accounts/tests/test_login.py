import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher, check_password, make_password
from django.test import override_settings

from config.settings import base


def test_base_settings_hash_passwords_with_argon2():
    assert base.PASSWORD_HASHERS[0] == "xinzhi.accounts.hashers.ServerArgon2PasswordHasher"


SERVER_HASHERS = ["xinzhi.accounts.hashers.ServerArgon2PasswordHasher"]


def test_new_hashes_use_owasp_parameters():
    with override_settings(PASSWORD_HASHERS=SERVER_HASHERS):
        encoded = make_password("xinzhi-test-pass")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_login_with_an_old_parameter_hash_upgrades_it(client, users):
    user = users["gxq"]
    old = Argon2PasswordHasher().encode("xinzhi-test-pass", Argon2PasswordHasher().salt())
    assert "$m=102400,t=2,p=8$" in old  # Django's default: 100 MiB, 8 lanes
    type(user).objects.filter(pk=user.pk).update(password=old)
    with override_settings(PASSWORD_HASHERS=SERVER_HASHERS):
        response = client.post(
            "/accounts/login/", {"username": "gxq", "password": "xinzhi-test-pass"}
        )
        assert response.status_code == 302
        user.refresh_from_db()
        assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
        assert check_password("xinzhi-test-pass", user.password)


def test_login_page_is_chinese(client, db):
    response = client.get("/accounts/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="username"' in html and 'name="password"' in html
    assert "用户名" in html and "登录" in html


def test_login_and_logout(client, users):
    response = client.post("/accounts/login/", {"username": "gxq", "password": "xinzhi-test-pass"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/")
    assert "GXQ · 板块专员 · 武进国家高新区" in home.content.decode()
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


def test_wrong_password_gets_a_chinese_message(client, users):
    response = client.post("/accounts/login/", {"username": "gxq", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确，请重新输入。" in response.content.decode()


def test_repeated_failures_lock_that_username_from_that_address_only(client, users):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit):
        client.post(
            "/accounts/login/", {"username": "gxq", "password": "wrong"}, REMOTE_ADDR="10.0.0.1"
        )
    locked = client.post(
        "/accounts/login/",
        {"username": "gxq", "password": "xinzhi-test-pass"},
        REMOTE_ADDR="10.0.0.1",
    )
    assert locked.status_code == 429
    assert "登录尝试过多" in locked.content.decode()
    # The same user from another address, and another user from the same address, still work.
    other_address = client.post(
        "/accounts/login/",
        {"username": "gxq", "password": "xinzhi-test-pass"},
        REMOTE_ADDR="10.0.0.2",
    )
    assert other_address.status_code == 302
    client.post("/accounts/logout/")
    other_user = client.post(
        "/accounts/login/",
        {"username": "xth", "password": "xinzhi-test-pass"},
        REMOTE_ADDR="10.0.0.1",
    )
    assert other_user.status_code == 302


def test_password_change(client, users):
    client.force_login(users["gxq"])
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "xinzhi-test-pass",
            "new_password1": "Wujin-kejiju-2026!",
            "new_password2": "Wujin-kejiju-2026!",
        },
    )
    assert response.status_code == 302
    users["gxq"].refresh_from_db()
    assert users["gxq"].check_password("Wujin-kejiju-2026!")


@pytest.mark.parametrize("path", ["/", "/enterprises/", "/enterprises/export.xlsx"])
def test_pages_require_login(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
