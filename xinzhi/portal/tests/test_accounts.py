"""Enterprise accounts: invitations (one-time, expiring), password from the link, removal."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from xinzhi.accounts.models import User
from xinzhi.core.exceptions import ApplicationError
from xinzhi.core.models import AuditEvent
from xinzhi.portal import services
from xinzhi.portal.models import Contact, Invitation

PASSWORD = "Guangdian-2024!"


def _login(client, username, password=PASSWORD):
    """A real login through the login page (django-axes needs the request)."""
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    return response.status_code == 302


def _invite(actor, enterprise, **extra):
    fields = {"contact_name": "王联系", "mobile": "13900000002", **extra}
    return services.invitation_create(actor=actor, credit_code=enterprise.credit_code, **fields)


def test_officer_invites_and_the_contact_opens_the_account_once(users, firm_enterprise):
    invitation, token = _invite(users["gxq"], firm_enterprise, is_manager=True)
    assert invitation.token_hash == services.token_hash(token)
    assert token not in invitation.token_hash  # only the digest is stored
    user = services.invitation_accept(token=token, username="wang", password=PASSWORD)
    assert (user.role, user.enterprise_id) == ("enterprise", firm_enterprise.pk)
    assert user.full_name == "王联系"
    assert user.check_password(PASSWORD)
    contact = Contact.objects.unscoped().get(user=user)
    assert (contact.is_manager, contact.mobile) == (True, "13900000002")
    with pytest.raises(ApplicationError, match="已使用过"):
        services.invitation_accept(token=token, username="wang2", password=PASSWORD)
    assert not User.objects.filter(username="wang2").exists()
    actions = list(
        AuditEvent.objects.unscoped()
        .filter(enterprise_id=firm_enterprise.pk)
        .order_by("id")
        .values_list("note", flat=True)
    )
    assert actions == ["邀请企业联系人，链接有效期 7 天", "通过邀请链接开通企业账户"]


def test_an_officer_cannot_invite_for_another_boards_enterprise(users, firm_enterprise):
    with pytest.raises(ApplicationError, match="不在您负责的范围内") as exc:
        _invite(users["xth"], firm_enterprise)
    assert exc.value.field == "credit_code"
    with pytest.raises(ApplicationError) as refused:
        _invite(users["leader"], firm_enterprise)
    assert refused.value.code == "forbidden"
    assert Invitation.objects.unscoped().count() == 0


def test_expired_and_revoked_links_open_nothing(users, firm_enterprise):
    long_ago = timezone.now() - dt.timedelta(days=8)
    _, old = _invite(users["gxq"], firm_enterprise, now=long_ago)
    with pytest.raises(ApplicationError, match="已过期"):
        services.invitation_accept(token=old, username="late", password=PASSWORD)
    invitation, token = _invite(users["gxq"], firm_enterprise, contact_name="李")
    services.invitation_revoke(actor=users["gxq"], invitation_id=invitation.pk)
    with pytest.raises(ApplicationError, match="已撤销"):
        services.invitation_accept(token=token, username="li", password=PASSWORD)
    with pytest.raises(ApplicationError, match="无效"):
        services.invitation_accept(token="guessed", username="x", password=PASSWORD)
    assert not User.objects.filter(role="enterprise").exists()


def test_a_second_manager_is_refused(users, firm_enterprise, manager):
    with pytest.raises(ApplicationError, match="已有企业管理员"):
        _invite(users["gxq"], firm_enterprise, is_manager=True)


def test_weak_password_and_taken_username_are_form_errors(client, users, firm_enterprise):
    _, token = _invite(users["gxq"], firm_enterprise)
    url = reverse("portal:accept", args=[token])
    response = client.post(url, {"username": "gxq", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 200
    assert "该用户名已被使用" in response.content.decode()
    response = client.post(url, {"username": "new", "password1": "123", "password2": "123"})
    assert response.status_code == 200
    assert not User.objects.filter(username="new").exists()


def test_invitation_page_shows_the_link_and_mails_it(client, users, firm_enterprise):
    client.force_login(users["gxq"])
    response = client.post(
        reverse("portal:invitations"),
        {
            "credit_code": firm_enterprise.credit_code,
            "contact_name": "王联系",
            "email": "wang@example.com",
            "is_manager": "on",
        },
    )
    assert response.status_code == 200
    link = response.context["link"]
    assert link.startswith("http://testserver/portal/invite/")
    assert len(mail.outbox) == 1
    assert link in mail.outbox[0].body
    assert mail.outbox[0].to == ["wang@example.com"]
    client.logout()
    page = client.get(link)
    assert page.status_code == 200
    assert firm_enterprise.name in page.content.decode()
    done = client.post(link, {"username": "wang", "password1": PASSWORD, "password2": PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == reverse("accounts:login")
    assert _login(client, "wang")
    assert client.get(reverse("core:home"))["Location"] == reverse("portal:home")
    assert client.get(reverse("portal:home")).status_code == 200
    client.logout()
    assert client.get(link).status_code == 404  # single use


def test_manager_invites_a_colleague_and_removal_revokes_access_at_once(
    client, users, firm_enterprise, manager
):
    from xinzhi.accounts.services import api_token_create

    _, token = services.invitation_create(
        actor=manager,
        credit_code=firm_enterprise.credit_code,
        contact_name="钱同事",
        mobile="13900000003",
        is_manager=True,  # a manager never makes another manager
    )
    colleague = services.invitation_accept(token=token, username="qian", password=PASSWORD)
    contact = Contact.objects.unscoped().get(user=colleague)
    assert contact.is_manager is False
    # The colleague may not invite nor remove.
    with pytest.raises(ApplicationError) as refused:
        services.contact_remove(actor=colleague, contact_id=manager.enterprise_contact.pk)
    assert refused.value.code == "forbidden"
    _, key = api_token_create(user=colleague, name="对接")
    assert _login(client, "qian")
    assert client.get(reverse("portal:home")).status_code == 200
    assert client.get(f"/api/enterprises/{firm_enterprise.pk}").status_code == 200

    services.contact_remove(actor=manager, contact_id=contact.pk)

    assert client.get(reverse("portal:home")).status_code == 302  # session no longer valid
    response = client.get(
        f"/api/enterprises/{firm_enterprise.pk}", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 401
    client.logout()
    assert not _login(client, "qian")


def test_manager_cannot_invite_for_or_remove_from_another_enterprise(
    users, make_enterprise, manager
):
    other = make_enterprise("常州乙科技有限公司", "gxq")
    with pytest.raises(ApplicationError, match="不在您负责的范围内"):
        services.invitation_create(
            actor=manager, credit_code=other.credit_code, contact_name="外人", mobile="1"
        )
    _, token = _invite(users["gxq"], other)
    stranger = services.invitation_accept(token=token, username="wai", password=PASSWORD)
    with pytest.raises(Contact.DoesNotExist):
        services.contact_remove(actor=manager, contact_id=stranger.enterprise_contact.pk)
    stranger.refresh_from_db()
    assert stranger.is_active


def test_manager_contacts_page_invites_and_removes(client, users, firm_enterprise, manager):
    client.force_login(manager)
    page = client.get(reverse("portal:contacts"))
    assert page.status_code == 200
    response = client.post(
        reverse("portal:contacts"),
        {"credit_code": firm_enterprise.credit_code, "contact_name": "孙", "mobile": "139"},
    )
    assert response.status_code == 200
    assert "/portal/invite/" in response.context["link"]
    invitation = Invitation.objects.unscoped().get(contact_name="孙")
    assert (invitation.enterprise_id, invitation.is_manager) == (firm_enterprise.pk, False)


def test_an_ordinary_contact_cannot_invite_through_the_page(client, users, firm_enterprise):
    _, token = _invite(users["gxq"], firm_enterprise)
    plain = services.invitation_accept(token=token, username="plain", password=PASSWORD)
    client.force_login(plain)
    response = client.post(
        reverse("portal:contacts"),
        {"credit_code": firm_enterprise.credit_code, "contact_name": "孙", "mobile": "139"},
    )
    assert response.status_code == 403
    assert Invitation.objects.unscoped().count() == 1


def test_the_enterprise_page_panel_lets_the_officer_remove_a_contact(
    client, users, firm_enterprise, manager
):
    client.force_login(users["gxq"])
    url = reverse("portal:enterprise_accounts", args=[firm_enterprise.pk])
    panel = client.get(url, HTTP_HX_REQUEST="true")
    assert panel.status_code == 200
    assert "周经理" in panel.content.decode()
    assert "<html" not in panel.content.decode()  # the fragment only
    contact = manager.enterprise_contact
    response = client.post(reverse("portal:contact_remove", args=[contact.pk]))
    assert response.status_code == 302
    manager.refresh_from_db()
    assert manager.is_active is False
    client.force_login(users["xth"])
    assert client.get(url).status_code == 404
