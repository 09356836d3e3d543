import pytest

from xinzhi.core.audit import audit_record
from xinzhi.core.models import AuditEvent


def test_audit_log_is_append_only(make_enterprise, users):
    enterprise = make_enterprise("常州甲科技有限公司")
    event = audit_record(actor=users["gxq"], action="update", instance=enterprise,
                         changes={"name": {"label": "企业名称", "before": "a", "after": "b"}},
                         enterprise_id=enterprise.pk, jurisdiction_id=enterprise.jurisdiction_id)
    assert event.actor_name == "GXQ"
    event.note = "tamper"
    with pytest.raises(PermissionError, match="只能追加"):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.all_objects.all().update(note="x")
    with pytest.raises(PermissionError):
        AuditEvent.all_objects.all().delete()
    assert AuditEvent.objects.visible_to(users["gxq"]).count() == 1
    assert AuditEvent.objects.visible_to(users["xth"]).count() == 0


def test_healthz_answers_without_login(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
