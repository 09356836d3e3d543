import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from conftest import make_credit_code
from xinzhi.core.exceptions import ApplicationError, ConcurrentEditError
from xinzhi.core.models import AuditEvent
from xinzhi.enterprises import services
from xinzhi.enterprises.models import AnnualFigures, Enterprise
from xinzhi.enterprises.validators import validate_credit_code


def test_wrong_check_digit_gets_a_chinese_message():
    code = make_credit_code()
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(ValidationError) as info:
        validate_credit_code(wrong)
    assert info.value.messages == ["统一社会信用代码校验位错误，请核对最后一位。"]
    with pytest.raises(ValidationError) as info:
        validate_credit_code("9132041")
    assert info.value.messages == ["统一社会信用代码应为18位，当前为7位。"]
    validate_credit_code(code)


def test_create_records_every_field_in_the_audit_log(users, jurisdictions):
    code = make_credit_code()
    enterprise = services.enterprise_create(
        actor=users["gxq"],
        tags=["新能源汽车", "车载芯片"],
        data={
            "credit_code": code.lower(),
            "name": "常州新质科技有限公司",
            "jurisdiction": jurisdictions["gxq"],
            "registered_on": dt.date(2020, 1, 2),
        },
    )
    assert enterprise.credit_code == code
    event = AuditEvent.objects.visible_to(users["gxq"]).get(enterprise_id=enterprise.pk)
    assert event.action == "create"
    assert event.changes["name"] == {
        "label": "企业名称",
        "before": None,
        "after": "常州新质科技有限公司",
    }
    assert event.changes["tags"]["after"] == ["新能源汽车", "车载芯片"]


def test_duplicate_credit_code_is_refused(users, jurisdictions, make_enterprise):
    existing = make_enterprise("已在库企业", "xth")
    with pytest.raises(ValidationError) as info:
        services.enterprise_create(
            actor=users["gxq"],
            data={
                "credit_code": existing.credit_code,
                "name": "重复企业",
                "jurisdiction": jurisdictions["gxq"],
            },
        )
    assert info.value.message_dict["credit_code"] == ["该统一社会信用代码已登记在企业库中。"]
    assert Enterprise.objects.unscoped().count() == 1


def test_officer_cannot_register_in_another_jurisdiction(users, jurisdictions):
    with pytest.raises(ApplicationError, match="只能把企业登记在您负责的板块内"):
        services.enterprise_create(
            actor=users["gxq"],
            data={
                "credit_code": make_credit_code(),
                "name": "越界企业",
                "jurisdiction": jurisdictions["xth"],
            },
        )
    assert Enterprise.objects.unscoped().count() == 0


def test_leader_is_read_only(users, jurisdictions):
    with pytest.raises(ApplicationError, match="只能查看"):
        services.enterprise_create(
            actor=users["leader"],
            data={
                "credit_code": make_credit_code(),
                "name": "领导新增",
                "jurisdiction": jurisdictions["gxq"],
            },
        )


def test_update_writes_field_diffs_and_bumps_version(users, make_enterprise):
    enterprise = make_enterprise("常州甲科技有限公司", industry="电子")
    updated = services.enterprise_update(
        actor=users["gxq"],
        enterprise=enterprise,
        expected_version=1,
        data={"name": "常州甲智能科技有限公司", "industry": "电子"},
    )
    assert updated.version == 2
    event = AuditEvent.objects.visible_to(users["admin"]).get(action="update")
    assert event.changes == {
        "name": {
            "label": "企业名称",
            "before": "常州甲科技有限公司",
            "after": "常州甲智能科技有限公司",
        },
    }
    assert event.actor == users["gxq"]


def test_concurrent_edit_is_refused_and_nothing_is_overwritten(users, make_enterprise):
    enterprise = make_enterprise("常州甲科技有限公司")
    services.enterprise_update(
        actor=users["gxq"],
        enterprise=enterprise,
        expected_version=1,
        data={"contact_name": "先保存的人"},
    )
    with pytest.raises(ConcurrentEditError) as info:
        services.enterprise_update(
            actor=users["admin"],
            enterprise=enterprise,
            expected_version=1,
            data={"contact_name": "后保存的人"},
        )
    assert "已被他人修改" in info.value.message
    enterprise.refresh_from_db()
    assert enterprise.contact_name == "先保存的人"
    assert enterprise.version == 2


def test_update_of_an_invisible_enterprise_is_not_found(users, make_enterprise):
    enterprise = make_enterprise("西太湖企业", "xth")
    with pytest.raises(Enterprise.DoesNotExist):
        services.enterprise_update(
            actor=users["gxq"], enterprise=enterprise, expected_version=1, data={"name": "被改"}
        )
    enterprise.refresh_from_db()
    assert enterprise.name == "西太湖企业"


def test_figures_validation_names_the_field(users, make_enterprise):
    enterprise = make_enterprise("常州甲科技有限公司")
    with pytest.raises(ValidationError) as info:
        services.figures_save(
            actor=users["gxq"],
            enterprise=enterprise,
            year=2025,
            data={"employees": 10, "tech_staff": 11},
        )
    assert info.value.message_dict == {"tech_staff": ["科技人员数不能超过职工总数。"]}
    assert AnnualFigures.objects.unscoped().count() == 0


def test_figures_save_creates_then_updates_with_audit(users, make_enterprise):
    enterprise = make_enterprise("常州甲科技有限公司")
    row = services.figures_save(
        actor=users["gxq"],
        enterprise=enterprise,
        year=2025,
        data={"revenue": Decimal("4800"), "rd_expense": Decimal("300")},
    )
    assert row.rd_intensity == Decimal("0.0625")
    services.figures_save(
        actor=users["gxq"],
        enterprise=enterprise,
        year=2025,
        data={"rd_expense": Decimal("348.5")},
        expected_updated_at=row.updated_at,
    )
    events = list(AuditEvent.objects.visible_to(users["gxq"]).order_by("id"))
    assert [e.action for e in events] == ["create", "update"]
    assert events[1].changes["rd_expense"] == {
        "label": "研发费用",
        "before": "300",
        "after": "348.5",
    }


def test_figures_concurrent_edit_is_refused(users, make_enterprise):
    enterprise = make_enterprise("常州甲科技有限公司")
    row = services.figures_save(
        actor=users["gxq"], enterprise=enterprise, year=2025, data={"revenue": Decimal("100")}
    )
    stale = row.updated_at
    services.figures_save(
        actor=users["admin"],
        enterprise=enterprise,
        year=2025,
        data={"revenue": Decimal("120")},
        expected_updated_at=stale,
    )
    with pytest.raises(ConcurrentEditError):
        services.figures_save(
            actor=users["gxq"],
            enterprise=enterprise,
            year=2025,
            data={"revenue": Decimal("130")},
            expected_updated_at=stale,
        )
    assert AnnualFigures.objects.unscoped().get().revenue == Decimal("120")


def test_title_validity_must_not_end_before_it_starts(users, make_enterprise):
    enterprise = make_enterprise("常州甲科技有限公司")
    with pytest.raises(ValidationError) as info:
        services.title_add(
            actor=users["gxq"],
            enterprise=enterprise,
            data={
                "title": "hnte",
                "valid_from": dt.date(2024, 12, 1),
                "valid_until": dt.date(2024, 1, 1),
            },
        )
    assert info.value.message_dict == {"valid_until": ["有效期至不能早于认定日期。"]}


def test_tags_from_text_accepts_chinese_and_latin_separators():
    assert services.tags_from_text("新能源汽车、车载芯片，储能, 氢能") == [
        "储能",
        "新能源汽车",
        "氢能",
        "车载芯片",
    ]
