import datetime as dt

from django.core.management import call_command
from django.utils import timezone

from xinzhi.accounts.models import ApiToken
from xinzhi.accounts.services import api_token_create, api_token_revoke


def bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_token_acts_as_its_user_with_the_same_scope(client, users, make_enterprise):
    make_enterprise("高新区企业", "gxq")
    make_enterprise("西太湖企业", "xth")
    token, key = api_token_create(user=users["gxq"], name="市平台数据交换")
    assert token.key_hash != key and key not in token.key_hash
    assert key.startswith("xz_") and token.prefix == key[:11]
    body = client.get("/api/enterprises", **bearer(key)).json()
    assert [r["name"] for r in body["results"]] == ["高新区企业"]
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_unknown_revoked_and_expired_tokens_are_refused(client, users):
    assert client.get("/api/enterprises", **bearer("xz_not-a-real-token")).status_code == 401
    token, key = api_token_create(user=users["gxq"], name="临时")
    api_token_revoke(token=token)
    assert client.get("/api/enterprises", **bearer(key)).status_code == 401
    old, old_key = api_token_create(user=users["gxq"], name="过期", days=1)
    ApiToken.objects.filter(pk=old.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/api/enterprises", **bearer(old_key)).status_code == 401
    _, inactive_key = api_token_create(user=users["admin"], name="管理")
    users["admin"].is_active = False
    users["admin"].save()
    assert client.get("/api/enterprises", **bearer(inactive_key)).status_code == 401


def test_token_can_write_without_csrf(client, users, make_enterprise):
    enterprise = make_enterprise("高新区企业", "gxq")
    _, key = api_token_create(user=users["gxq"], name="写入")
    response = client.patch(
        f"/api/enterprises/{enterprise.pk}",
        {"version": 1, "industry": "光学"},
        content_type="application/json",
        **bearer(key),
    )
    assert response.status_code == 200
    assert response.json()["industry"] == "光学"


def test_command_prints_the_key_once(users, capsys):
    call_command("create_api_token", "--user", "leader", "--name", "领导驾驶舱")
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("已签发令牌“领导驾驶舱”")
    assert out[1].startswith("xz_")
    assert ApiToken.objects.get().user == users["leader"]


def test_tokens_expire_after_a_year_by_default_and_the_command_says_so(users, capsys):
    before = timezone.now()
    token, _ = api_token_create(user=users["gxq"], name="默认有效期")
    assert before + dt.timedelta(days=365) <= token.expires_at
    assert token.expires_at <= timezone.now() + dt.timedelta(days=365)

    call_command("create_api_token", "--user", "leader", "--name", "领导驾驶舱")
    issued = ApiToken.objects.get(name="领导驾驶舱")
    expires = timezone.localtime(issued.expires_at)
    assert capsys.readouterr().out.splitlines()[2] == (
        f"有效期 365 天，至 {expires:%Y-%m-%d %H:%M} 到期；到期后请重新签发（--days 可调整）。"
    )


def test_the_admin_says_when_a_token_expires(client, users):
    users["admin"].is_staff = users["admin"].is_superuser = True
    users["admin"].save()
    token, _ = api_token_create(user=users["gxq"], name="查看")
    client.force_login(users["admin"])
    page = client.get(f"/admin/accounts/apitoken/{token.pk}/change/").content.decode()
    assert (
        "签发时默认一年后到期；到期后请用 create_api_token 重新签发。留空表示永不过期，不建议。"
        in page
    )
