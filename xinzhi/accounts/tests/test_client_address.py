"""Behind the reverse proxy the client's address comes from X-Forwarded-For, but only when the
request comes from a configured proxy (XINZHI_TRUSTED_PROXIES); lockout and audit use it."""

import io

import pytest
from django.conf import settings
from django.test import RequestFactory, override_settings

from xinzhi.core.middleware import request_client_ip
from xinzhi.core.models import AuditEvent
from xinzhi.enterprises.tests.test_import import xlsx

PROXY = "10.0.0.9"


def fail_logins(client, username: str, **meta: str) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": username, "password": "x"}, **meta)


@override_settings(XINZHI_TRUSTED_PROXIES=[PROXY])
def test_users_behind_the_same_proxy_do_not_lock_each_other_out(client, users):
    fail_logins(client, "gxq", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")

    attacker = client.post(
        "/accounts/login/",
        {"username": "gxq", "password": "xinzhi-test-pass"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    owner = client.post(
        "/accounts/login/",
        {"username": "gxq", "password": "xinzhi-test-pass"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.8",
    )
    assert attacker.status_code == 429
    assert owner.status_code == 302


@pytest.mark.parametrize("trusted", [[], [PROXY]])
def test_a_forwarded_for_header_from_an_untrusted_address_is_ignored(client, users, trusted):
    with override_settings(XINZHI_TRUSTED_PROXIES=trusted):
        for number in range(settings.AXES_FAILURE_LIMIT):
            client.post(
                "/accounts/login/",
                {"username": "gxq", "password": "x"},
                REMOTE_ADDR="198.51.100.1",
                HTTP_X_FORWARDED_FOR=f"203.0.113.{number}",
            )
        fresh_header = client.post(
            "/accounts/login/",
            {"username": "gxq", "password": "xinzhi-test-pass"},
            REMOTE_ADDR="198.51.100.1",
            HTTP_X_FORWARDED_FOR="203.0.113.99",
        )
    assert fresh_header.status_code == 429


@override_settings(XINZHI_TRUSTED_PROXIES=[PROXY])
def test_the_audit_log_records_the_client_behind_the_proxy(login, users, make_enterprise):
    enterprise = make_enterprise("甲", "gxq")
    upload = io.BytesIO(xlsx([[enterprise.credit_code, 2024, 1, 1, 1, 1]]))
    upload.name = "figures.xlsx"
    response = login(users["gxq"]).post(
        "/enterprises/import/",
        {"mode": "commit", "file": upload},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7",
    )
    assert response.status_code == 302
    # The row's compact event leaves the address to the import's own event, which says it once.
    # (an imported row's event names the enterprise in enterprise_id and the year as object_id)
    events = AuditEvent.all_objects.order_by("id").values_list(
        "action", "enterprise_id", "object_id", "ip_address"
    )
    assert list(events) == [
        ("import", enterprise.pk, "2024", None),
        ("import", None, "", "203.0.113.7"),
    ]


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("10.0.0.9", "", "10.0.0.9"),  # a proxy's own request
        ("10.0.0.9", "203.0.113.7", "203.0.113.7"),
        ("10.0.0.9", "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # the left part is the client's
        ("10.0.0.9", "203.0.113.7, 10.1.2.3", "203.0.113.7"),  # two proxies, both trusted
        ("10.0.0.9", "203.0.113.7, 172.16.0.1", "172.16.0.1"),  # an unknown hop is the client
        ("10.0.0.9", "not-an-ip, 10.1.2.3", "10.1.2.3"),
        ("10.0.0.9", "2001:db8::1", "2001:db8::1"),
        ("198.51.100.1", "203.0.113.7", "198.51.100.1"),  # not a proxy: header ignored
    ],
)
def test_client_address_is_the_nearest_untrusted_hop(remote, forwarded, expected):
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(XINZHI_TRUSTED_PROXIES=["10.0.0.9", "10.1.0.0/16"]):
        assert request_client_ip(request) == expected
