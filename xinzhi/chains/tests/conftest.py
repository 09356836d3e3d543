"""Fixtures of the chain tests: a small chain loaded from data, enterprises placed on it."""

from __future__ import annotations

import pytest

SMALL_CHAIN = {
    "chains": [
        {
            "code": "ev",
            "name": "新能源汽车",
            "value_added_rate": "0.20",
            "weak_threshold": 2,
            "nodes": [
                {"code": "vehicle", "name": "整车制造", "position": "downstream", "key": True},
                {
                    "code": "power",
                    "name": "动力系统",
                    "position": "midstream",
                    "children": [
                        {"code": "drive", "name": "电驱电控", "key": True},
                        {"code": "solid", "name": "固态电池", "key": True},
                    ],
                },
                {"code": "chips", "name": "车载芯片", "position": "upstream", "key": True},
                {"code": "lamps", "name": "车灯", "position": "midstream"},
            ],
        }
    ]
}


@pytest.fixture
def chain(db):
    from xinzhi.chains.models import Chain
    from xinzhi.chains.services import chains_load

    chains_load(data=SMALL_CHAIN)
    return Chain.objects.get(code="ev")


@pytest.fixture
def nodes(chain):
    return {n.code: n for n in chain.nodes.all()}


@pytest.fixture
def place(users):
    """Put an enterprise (or an outside company) on a node through the service."""
    from xinzhi.chains import services

    def do(node, enterprise=None, role="general", outside="", region="", **data):
        return services.membership_add(
            actor=users["admin"],
            node=node,
            enterprise=enterprise,
            outside_name=outside,
            outside_region=region,
            data={"role": role, **data},
        )

    return do


@pytest.fixture
def buy():
    """A purchase of `buyer` from a local `supplier` or an outside name (万元)."""
    from decimal import Decimal

    from xinzhi.chains.models import SupplyRelation

    def do(buyer, amount, supplier=None, name="", region="", year=2025, node=None):
        return SupplyRelation.objects.unscoped().create(
            buyer=buyer,
            supplier=supplier,
            supplier_name=supplier.name if supplier else name,
            supplier_region=region,
            amount=Decimal(amount),
            year=year,
            node=node,
        )

    return do
