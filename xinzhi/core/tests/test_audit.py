import pytest

from xinzhi.core.audit import audit_record
from xinzhi.core.models import AuditEvent


def test_audit_log_is_append_only(make_enterprise, users):
    enterprise = make_enterprise("常州甲科技有限公司")
    event = audit_record(
        actor=users["gxq"],
        action="update",
        instance=enterprise,
        changes={"name": {"label": "企业名称", "before": "a", "after": "b"}},
        enterprise_id=enterprise.pk,
        jurisdiction_id=enterprise.jurisdiction_id,
    )
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


def test_changes_are_stored_as_compact_json_text(make_enterprise, users):
    """Text, not jsonb (PostgreSQL): about half the bytes per event; read back unchanged."""
    from django.db import connection

    enterprise = make_enterprise("常州甲科技有限公司")
    changes = {"name": {"label": "企业名称", "before": "甲", "after": "乙"}, "n": [1, 2.5]}
    event = audit_record(actor=users["gxq"], action="update", instance=enterprise, changes=changes)
    with connection.cursor() as cursor:
        cursor.execute("SELECT changes FROM core_auditevent WHERE id = %s", [event.pk])
        stored = cursor.fetchone()[0]
    assert stored == '{"name":{"label":"企业名称","before":"甲","after":"乙"},"n":[1,2.5]}'
    assert AuditEvent.all_objects.get(pk=event.pk).changes == changes
    if connection.vendor == "postgresql":
        cursor = connection.cursor()
        cursor.execute(
            "SELECT data_type FROM information_schema.columns "
            "WHERE table_name = 'core_auditevent' AND column_name = 'changes'"
        )
        assert cursor.fetchone()[0] == "text"


def test_healthz_answers_without_login(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_home_sends_experts_to_their_reviews(client, users):
    client.force_login(users["expert"])
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/calls/reviews/"
    page = client.get("/calls/reviews/").content.decode()
    assert "企业库" not in page.split("</nav>")[0]


def test_home_shows_officers_their_park(client, users, make_enterprise):
    make_enterprise("高新区企业", "gxq")
    make_enterprise("西太湖企业", "xth")
    client.force_login(users["gxq"])
    html = client.get("/").content.decode()
    assert 'data-testid="enterprise-count">1<' in html
