"""Issue 14: a lead's amount beyond its column is a validation error, not a database error."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from xinzhi.attraction import services
from xinzhi.attraction.models import Lead


def test_planned_investment_beyond_the_column_is_refused(users, jurisdictions, stages):
    with pytest.raises(ValidationError) as exc:
        services.lead_create(
            actor=users["gxq"],
            data={
                "name": "项目",
                "jurisdiction": jurisdictions["gxq"],
                "planned_investment": Decimal("1e20"),
            },
        )
    assert exc.value.message_dict == {
        "planned_investment": ["计划投资额超出允许范围（最多 14 位整数）"]
    }
    assert not Lead.objects.unscoped().exists()
