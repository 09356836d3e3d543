import pytest

# The call engine's fixtures, for reminders about calls and reviews.
from xinzhi.calls.tests.conftest import cert_call, make_application, make_call  # noqa: F401


@pytest.fixture
def firm_enterprise(make_enterprise):
    """An enterprise in 高新区 with last year's figures."""
    return make_enterprise("常州甲光电有限公司", "gxq", revenue=4000, year=2024)


@pytest.fixture
def manager(users, firm_enterprise):
    """The enterprise's manager contact, opened through an officer's invitation."""
    from xinzhi.portal import services

    _, token = services.invitation_create(
        actor=users["gxq"],
        credit_code=firm_enterprise.credit_code,
        contact_name="周经理",
        mobile="13900000001",
        is_manager=True,
    )
    return services.invitation_accept(token=token, username="zhou", password="Guangdian-2024!")
