"""Writes: chains from data, memberships by scope, the gap → lead → landed loop."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone

from xinzhi.chains import selectors, services
from xinzhi.chains.models import Chain, GapTarget, LeadNode, Node
from xinzhi.chains.tests.conftest import SMALL_CHAIN
from xinzhi.core.exceptions import ApplicationError
from xinzhi.core.models import AuditEvent


def test_loading_again_updates_by_code_and_keeps_placed_nodes(chain, nodes):
    data = {"chains": [{**SMALL_CHAIN["chains"][0], "name": "新能源汽车产业链"}]}
    data["chains"][0]["nodes"] = data["chains"][0]["nodes"][:1]
    assert services.chains_load(data=data) == {"chains": 1, "nodes": 1}
    assert Chain.objects.get(code="ev").name == "新能源汽车产业链"
    assert Node.objects.filter(chain=chain).count() == 6  # the others are kept


@pytest.mark.django_db
def test_wujin_file_loads():
    counts = services.chains_load()
    assert counts == {"chains": 4, "nodes": 35}
    assert Node.objects.get(chain__code="nev", code="solid-state").parent.name == "动力系统"
    assert Node.objects.get(chain__code="nev", code="solid-state").position == "midstream"


def test_a_bad_file_names_the_problem(db):
    with pytest.raises(ApplicationError) as caught:
        services.chains_load(
            data={"chains": [{"code": "x", "name": "X", "nodes": [{"code": "a", "name": "A"}]}]}
        )
    assert caught.value.message == "产业链 x 的环节 a：position 应为 upstream/midstream/downstream"


def test_an_officer_places_only_their_own_enterprises(chain, nodes, users, make_enterprise):
    other = make_enterprise("西太湖企业", "xth")
    from xinzhi.enterprises.models import Enterprise

    with pytest.raises(Enterprise.DoesNotExist):
        services.membership_add(
            actor=users["gxq"], node=nodes["drive"], enterprise=other, data={"role": "core"}
        )
    with pytest.raises(ApplicationError) as caught:
        services.membership_add(
            actor=users["gxq"], node=nodes["drive"], outside_name="外地", data={"role": "core"}
        )
    assert caught.value.code == "forbidden"
    with pytest.raises(ApplicationError) as caught:
        services.membership_add(
            actor=users["leader"], node=nodes["drive"], enterprise=other, data={"role": "core"}
        )
    assert caught.value.code == "forbidden"


def test_a_functional_institution_needs_its_kind(chain, nodes, users, make_enterprise):
    firm = make_enterprise("检测中心", "gxq")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        services.membership_add(
            actor=users["gxq"], node=nodes["vehicle"], enterprise=firm, data={"role": "functional"}
        )
    assert caught.value.message_dict == {"function_kind": ["功能性机构请选择功能类型。"]}


def test_placing_twice_is_refused_in_chinese(chain, nodes, users, make_enterprise, place):
    firm = make_enterprise("汇川", "gxq")
    place(nodes["drive"], firm, role="core")
    with pytest.raises(ApplicationError) as caught:
        place(nodes["drive"], firm, role="general")
    assert caught.value.message == "汇川已在“电驱电控”环节。"


def test_gap_target_to_lead_to_landed_raises_completeness(
    chain, nodes, users, make_enterprise, place
):
    """The closed loop: a 固态电池 target → a lead with the node → landed → 完整度 rises."""
    from conftest import make_credit_code
    from xinzhi.attraction import services as attraction
    from xinzhi.attraction.services import stages_ensure_defaults

    stages = {s.code: s for s in stages_ensure_defaults()}
    admin = users["admin"]
    place(nodes["vehicle"], make_enterprise("理想", "gxq"), role="leader")
    year = timezone.localdate().year

    def completeness():
        figures = selectors.chain_metrics(user=admin, chain=chain, year=year).figures
        f = next(f for f in figures if f.key == "completeness")
        return (f.numerator, f.denominator)

    assert completeness() == (1, 4)
    target = services.target_create(
        actor=admin,
        node=nodes["solid"],
        data={"name": "清陶能源", "region": "昆山", "source": "research", "reason": "固态电池"},
    )
    lead = services.target_convert(
        actor=admin, target=target, jurisdiction=users["gxq"].jurisdiction
    )
    target.refresh_from_db()
    assert (target.status, target.lead_id) == ("converted", lead.pk)
    assert lead.name == "清陶能源固态电池项目"
    assert lead.segment == "新能源汽车·固态电池"
    assert lead.source_region == "昆山"
    assert LeadNode.objects.unscoped().get(lead=lead).node == nodes["solid"]
    assert completeness() == (1, 4)  # a lead in the pipeline is not yet presence
    for code in ("docking", "negotiation", "signed"):
        attraction.lead_move(actor=admin, lead=lead, to_stage=stages[code])
    attraction.lead_land(
        actor=admin,
        lead=lead,
        credit_code=make_credit_code(),
        create=True,
        enterprise_data={"name": "清陶（常州）能源科技有限公司"},
    )
    assert completeness() == (2, 4)
    members, hidden = selectors.node_members(user=admin, node=nodes["solid"])
    assert [(m.enterprise.name, m.role_label, m.source) for m in members] == [
        ("清陶（常州）能源科技有限公司", "核心配套", "lead")
    ]
    assert hidden == 0
    # the other 板块's officer sees the figure's share (0) and not the enterprise
    members, hidden = selectors.node_members(user=users["xth"], node=nodes["solid"])
    assert (members, hidden) == ([], 1)
    assert AuditEvent.objects.unscoped().filter(object_type="chains.gaptarget").count() == 2


def test_a_converted_target_cannot_be_converted_again(chain, nodes, users):
    from xinzhi.attraction.services import stages_ensure_defaults

    stages_ensure_defaults()
    admin = users["admin"]
    target = services.target_create(
        actor=admin, node=nodes["chips"], data={"name": "地平线", "source": "research"}
    )
    services.target_convert(actor=admin, target=target, jurisdiction=users["gxq"].jurisdiction)
    with pytest.raises(ApplicationError) as caught:
        services.target_convert(actor=admin, target=target, jurisdiction=users["gxq"].jurisdiction)
    assert caught.value.message == "“地平线”已转为招商项目。"
    assert GapTarget.objects.count() == 1


def test_an_officer_cannot_convert_into_another_bankuai(chain, nodes, users):
    from xinzhi.attraction.services import stages_ensure_defaults

    stages_ensure_defaults()
    target = services.target_create(
        actor=users["admin"], node=nodes["chips"], data={"name": "芯驰", "source": "research"}
    )
    with pytest.raises(ApplicationError) as caught:
        services.target_convert(
            actor=users["gxq"], target=target, jurisdiction=users["xth"].jurisdiction
        )
    assert caught.value.message == "只能登记在您负责的板块内。"
    target.refresh_from_db()
    assert (target.status, target.lead_id) == ("open", None)


def test_only_the_admin_keeps_targets(chain, nodes, users):
    with pytest.raises(ApplicationError) as caught:
        services.target_create(
            actor=users["gxq"], node=nodes["chips"], data={"name": "芯驰", "source": "research"}
        )
    assert caught.value.code == "forbidden"


def test_load_chains_command_reports_and_refuses_a_missing_file(db, tmp_path):
    from django.core.management import CommandError, call_command

    out = io.StringIO()
    call_command("load_chains", stdout=out)
    assert out.getvalue() == "已加载 4 条产业链、35 个环节。\n"
    with pytest.raises(CommandError) as caught:
        call_command("load_chains", file=tmp_path / "none.yaml")
    assert str(caught.value) == f"文件不存在：{tmp_path / 'none.yaml'}"
    bad = tmp_path / "bad.yaml"
    bad.write_text("chains: 1\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("load_chains", file=bad)
    assert str(caught.value) == "产业链文件的顶层应为 chains: 列表"
