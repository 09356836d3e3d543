"""The enterprise side's demo: qiye and qiye2, a pending declaration, an answered request."""

from django.urls import reverse

from xinzhi.accounts.models import User
from xinzhi.attraction.models import AftercareRequest
from xinzhi.demo.services import demo_load
from xinzhi.demo.story import DEMO_PASSWORD
from xinzhi.notifications.models import Notification
from xinzhi.portal.demo import DEMO_PASSWORD as PORTAL_PASSWORD
from xinzhi.portal.models import Contact, Declaration


def test_demo_enterprise_accounts_and_their_work(db, client):
    assert PORTAL_PASSWORD == DEMO_PASSWORD
    demo_load(synthetic=0)
    demo_load(synthetic=0)  # idempotent
    qiye = User.objects.get(username="qiye")
    qiye2 = User.objects.get(username="qiye2")
    assert qiye.enterprise.name == "领先光学技术（江苏）有限公司"
    assert qiye2.enterprise.name == "常州优磁科技有限公司"
    assert qiye.check_password("xinzhi-demo") and qiye2.check_password("xinzhi-demo")
    assert Contact.objects.unscoped().get(user=qiye).is_manager
    pending = Declaration.objects.unscoped().get(status="submitted")
    returned = Declaration.objects.unscoped().get(status="returned")
    assert returned.enterprise_id == qiye2.enterprise_id
    assert pending.enterprise_id == qiye.enterprise_id
    answered = AftercareRequest.objects.unscoped().get(
        enterprise=qiye.enterprise, title__startswith="二期光刻设备产线"
    )
    assert answered.status == "closed" and answered.resolution.startswith("已对接")
    assert Declaration.objects.unscoped().count() == 2
    assert Contact.objects.unscoped().count() == 2
    unread = Notification.objects.filter(read_at__isnull=True)
    for username in ("admin", "gxq", "expert", "qiye", "qiye2"):
        assert unread.filter(recipient__username=username).exists(), username
    assert unread.filter(recipient__username="expert", kind="review_assigned").exists()
    assert unread.filter(recipient__username="gxq", kind="declaration_submitted").exists()
    assert unread.filter(recipient__username="admin", kind="request_overdue").exists()

    client.force_login(User.objects.get(username="gxq"))
    page = client.get(reverse("portal:declaration", args=[pending.pk]))
    assert page.status_code == 200
    assert any(row.differs for row in page.context["rows"])
    client.force_login(qiye2)
    assert client.get(reverse("portal:declaration", args=[pending.pk])).status_code == 404
