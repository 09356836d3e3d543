"""The enterprise page's audit log reads as Chinese, not as Python values."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from conftest import make_credit_code
from xinzhi.enterprises import services

pytestmark = pytest.mark.django_db


def audit_cells(body: str) -> list[list[str]]:
    table = body.split('data-testid="audit-log"')[1].split("</table>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]
    return [c for c in cells if len(c) == 7]


def test_audit_values_are_shown_as_chinese_words(client, users, jurisdictions):
    enterprise = services.enterprise_create(
        actor=users["gxq"],
        data={
            "credit_code": make_credit_code(),
            "name": "常州示例新能源有限公司",
            "jurisdiction": jurisdictions["gxq"],
            "registered_on": dt.date(2019, 3, 8),
            "is_listed": False,
        },
        tags=["充换电", "新能源汽车"],
    )
    client.force_login(users["gxq"])

    body = client.get(reverse("enterprises:detail", args=[enterprise.pk])).content.decode()

    rows = {cells[4]: (cells[5], cells[6]) for cells in audit_cells(body)}
    assert rows["产业链标签"] == ("—", "充换电、新能源汽车")
    assert rows["已上市"] == ("—", "否")
    assert rows["成立日期"] == ("—", "2019年3月8日")
    assert "注册地址" not in rows  # empty on creation: nothing to show
    assert "['" not in body and "False" not in body and "（空）" not in body


def test_raw_choice_values_booleans_and_moments_read_as_chinese(users, make_enterprise):
    from xinzhi.core.audit import audit_record, change_rows

    enterprise = make_enterprise("常州示例科技有限公司")
    changes = {
        "scale": {"label": "企业规模", "before": "small", "after": "medium"},
        "is_listed": {"label": "已上市", "before": False, "after": True},
        "updated_at": {"label": "更新时间", "before": None, "after": "2024-05-31T02:00:00+00:00"},
        "tags": {"label": "产业链标签", "before": ["充换电"], "after": []},
    }
    event = audit_record(actor=users["gxq"], action="update", instance=enterprise, changes=changes)

    assert [(r["label"], r["before"], r["after"]) for r in change_rows(event)] == [
        ("企业规模", "小型", "中型"),
        ("已上市", "否", "是"),
        ("更新时间", "—", "2024年5月31日 10:00"),
        ("产业链标签", "充换电", "—"),
    ]
