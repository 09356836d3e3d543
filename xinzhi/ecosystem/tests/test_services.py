"""Life cycles of the 创新生态 services, with the figures computed from the records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from conftest import make_credit_code
from xinzhi.attraction import services as attraction
from xinzhi.core.exceptions import ApplicationError, ConcurrentEditError
from xinzhi.core.models import AuditEvent
from xinzhi.ecosystem import selectors, services
from xinzhi.ecosystem.models import CarrierPush, CompetitionEntry, ListingCandidate
from xinzhi.enterprises.models import Enterprise, TitleHeld

TODAY = dt.date.today()


# ---------------------------------------------------------------- carriers and their delivery


def test_pushed_projects_are_leads_and_the_figures_follow_their_stages(users, push, centre, stages):
    first = push("微流控芯片项目", "gxq")
    push("固态电解质项目", "xth")
    push("碳化硅模块项目", "gxq")
    assert first.lead.channel == "university"
    assert first.lead.stage.code == "clue"
    for code in ("docking", "negotiation", "signed"):
        attraction.lead_move(actor=users["admin"], lead=first.lead, to_stage=stages[code])
    attraction.lead_land(
        actor=users["admin"],
        lead=first.lead,
        credit_code=make_credit_code(),
        create=True,
        enterprise_data={"name": "常州微流控科技有限公司"},
    )

    admin_view = selectors.carrier_get(user=users["admin"], pk=centre.pk)
    assert (admin_view.leads_pushed, admin_view.leads_landed) == (3, 1)
    # The 板块专员 counts only the leads of their 板块.
    gxq_view = selectors.carrier_get(user=users["gxq"], pk=centre.pk)
    xth_view = selectors.carrier_get(user=users["xth"], pk=centre.pk)
    assert (gxq_view.leads_pushed, gxq_view.leads_landed) == (2, 1)
    assert (xth_view.leads_pushed, xth_view.leads_landed) == (1, 0)
    stages_count = dict(
        selectors.push_stages(selectors.carrier_pushes(user=users["admin"], carrier=centre))
    )
    assert stages_count["线索"] == 2 and stages_count["落地注册"] == 1
    assert selectors.delivery_totals(user=users["admin"])["leads_pushed"] == 3


def test_talent_referrals_from_the_carrier_count_by_scope(users, jurisdictions, centre):
    for unit in ("gxq", "xth"):
        attraction.referral_create(
            actor=users["admin"],
            data={
                "project_name": "成果转化项目",
                "programme": "wujin",
                "source": centre.name,
                "pushed_on": TODAY,
                "jurisdiction": jurisdictions[unit],
            },
        )
    assert selectors.carrier_get(user=users["admin"], pk=centre.pk).talents_referred == 2
    assert selectors.carrier_get(user=users["gxq"], pk=centre.pk).talents_referred == 1


def test_an_officer_pushes_only_into_their_own_jurisdiction(users, jurisdictions, centre, stages):
    with pytest.raises(ApplicationError, match="只能登记在您负责的板块内"):
        services.carrier_push_lead(
            actor=users["gxq"],
            carrier=centre,
            data={"name": "外板块项目", "jurisdiction": jurisdictions["xth"]},
        )
    assert not CarrierPush.objects.unscoped().exists()


def test_an_existing_lead_links_to_one_carrier_only(users, jurisdictions, centre, stages):
    lead = attraction.lead_create(
        actor=users["gxq"], data={"name": "已有项目", "jurisdiction": jurisdictions["gxq"]}
    )
    services.carrier_link_lead(actor=users["gxq"], carrier=centre, lead=lead)
    with pytest.raises(ApplicationError, match="已登记了推送载体"):
        services.carrier_link_lead(actor=users["admin"], carrier=centre, lead=lead)
    assert selectors.carrier_get(user=users["gxq"], pk=centre.pk).leads_pushed == 1


def test_only_the_admin_keeps_carriers_and_edits_are_version_checked(users):
    with pytest.raises(ApplicationError, match="由区管理员维护"):
        services.carrier_create(actor=users["gxq"], data={"name": "甲", "kind": "incubator"})
    carrier = services.carrier_create(
        actor=users["admin"], data={"name": "龙城实验室", "kind": "new_rd"}
    )
    services.carrier_update(
        actor=users["admin"], carrier=carrier, data={"level": "provincial"}, expected_version=1
    )
    with pytest.raises(ConcurrentEditError):
        services.carrier_update(
            actor=users["admin"], carrier=carrier, data={"level": "national"}, expected_version=1
        )
    carrier.refresh_from_db()
    assert (carrier.level, carrier.version) == ("provincial", 2)
    assert AuditEvent.objects.unscoped().filter(object_type="ecosystem.carrier").count() == 2


def test_incubation_spells_count_incubated_and_graduated(users, incubator, centre, make_enterprise):
    a = make_enterprise("甲初创科技有限公司", "gxq")
    b = make_enterprise("乙初创科技有限公司", "xth")
    spell = services.spell_start(
        actor=users["admin"], carrier=incubator, enterprise=a, entered_on=TODAY.replace(day=1)
    )
    services.spell_start(
        actor=users["admin"], carrier=incubator, enterprise=b, entered_on=TODAY.replace(day=1)
    )
    with pytest.raises(ValidationError, match="已在此载体在孵"):
        services.spell_start(
            actor=users["admin"], carrier=incubator, enterprise=a, entered_on=TODAY
        )
    with pytest.raises(ApplicationError, match="不登记在孵企业"):
        services.spell_start(actor=users["admin"], carrier=centre, enterprise=a, entered_on=TODAY)
    with pytest.raises(ApplicationError, match="不能早于入孵日期"):
        services.spell_close(
            actor=users["gxq"],
            spell=spell,
            outcome="graduated",
            left_on=spell.entered_on - dt.timedelta(days=1),
        )
    services.spell_close(actor=users["gxq"], spell=spell, outcome="graduated", left_on=TODAY)
    with pytest.raises(ApplicationError, match="已结束"):
        services.spell_close(actor=users["gxq"], spell=spell, outcome="left", left_on=TODAY)

    admin_view = selectors.carrier_get(user=users["admin"], pk=incubator.pk)
    assert (
        admin_view.enterprises_incubated,
        admin_view.enterprises_in,
        admin_view.enterprises_graduated,
    ) == (2, 1, 1)
    gxq_view = selectors.carrier_get(user=users["gxq"], pk=incubator.pk)
    assert (gxq_view.enterprises_incubated, gxq_view.enterprises_in) == (1, 0)


def test_an_officer_cannot_incubate_another_jurisdictions_enterprise(
    users, incubator, make_enterprise
):
    other = make_enterprise("西太湖企业有限公司", "xth")
    with pytest.raises(ApplicationError, match="不在您的管辖范围内"):
        services.spell_start(
            actor=users["gxq"], carrier=incubator, enterprise=other, entered_on=TODAY
        )


def test_carrier_counts_by_kind_and_level(users, centre, incubator):
    counts = selectors.carrier_counts(user=users["gxq"])
    assert counts["total"] == 2
    assert counts["by_kind"]["技术转移中心"] == 1 and counts["by_kind"]["孵化器"] == 1
    assert counts["by_kind_level"]["技术转移中心"]["区级"] == 1


# ---------------------------------------------------------------- consortia and 揭榜挂帅


def test_a_challenge_task_runs_from_published_to_done(users, make_enterprise):
    admin = users["admin"]
    junhua = make_enterprise("江苏君华特种高分子材料股份有限公司", "gxq")
    consortium = services.carrier_create(
        actor=admin, data={"name": "特种高分子创新联合体", "kind": "consortium"}
    )
    services.member_add(
        actor=admin,
        carrier=consortium,
        data={
            "name": junhua.name,
            "member_kind": "enterprise",
            "role": "lead",
            "enterprise": junhua,
        },
    )
    with pytest.raises(ValidationError, match="已是联合体成员"):
        services.member_add(
            actor=admin,
            carrier=consortium,
            data={"name": junhua.name, "member_kind": "enterprise"},
        )
    published = TODAY - dt.timedelta(days=100)
    task = services.task_create(
        actor=admin,
        data={
            "carrier": consortium,
            "title": "PEEK复合材料连续成型",
            "challenge": "突破连续成型工艺",
            "issuer": junhua.name,
            "budget": Decimal("800.00"),
            "published_on": published,
        },
    )
    assert task.status == "published"
    with pytest.raises(ApplicationError, match="揭榜须填写揭榜团队"):
        services.task_advance(actor=admin, task=task, status="taken")
    task = services.task_advance(
        actor=admin, task=task, status="taken", team="南大未来院团队", on=published
    )
    assert (task.status, task.taken_on, task.team) == ("taken", published, "南大未来院团队")
    with pytest.raises(ApplicationError, match="只能向前推进"):
        services.task_advance(actor=admin, task=task, status="published")
    milestone = services.milestone_add(
        actor=admin,
        task=task,
        data={"name": "中试", "planned_on": published + dt.timedelta(days=30)},
    )
    services.task_advance(actor=admin, task=task, status="acceptance")
    with pytest.raises(ApplicationError, match="尚有未完成的节点"):
        services.task_advance(actor=admin, task=task, status="done")
    services.milestone_done(actor=admin, milestone=milestone, on=TODAY)
    task = services.task_advance(actor=admin, task=task, status="done")
    assert task.status == "done"
    listed = selectors.task_list(carrier=consortium).get()
    assert (listed.milestones_total, listed.milestones_done) == (1, 1)


def test_a_task_belongs_only_to_a_consortium(users, centre):
    with pytest.raises(ApplicationError, match="只能归属创新联合体"):
        services.task_create(
            actor=users["admin"],
            data={
                "carrier": centre,
                "title": "甲",
                "challenge": "乙",
                "issuer": "丙",
                "published_on": TODAY,
            },
        )


# ---------------------------------------------------------------- competitions


def test_an_outside_entry_becomes_a_lead_once(users, jurisdictions, competition, stages):
    entry = services.entry_create(
        actor=users["gxq"],
        data={
            "competition": competition,
            "track": "新材料行业赛",
            "project_name": "高导热氮化硼复合膜",
            "team_name": "上海氮硼团队",
            "team_leader": "陈博士",
            "source_region": "上海",
            "jurisdiction": jurisdictions["gxq"],
        },
    )
    services.entry_result(
        actor=users["gxq"],
        entry=entry,
        data={"award": "third", "rank": 9, "result_note": ""},
        expected_version=1,
    )
    lead = services.entry_to_lead(actor=users["gxq"], entry=entry)
    assert (lead.name, lead.jurisdiction_id, lead.stage.code) == (
        "高导热氮化硼复合膜",
        jurisdictions["gxq"].pk,
        "clue",
    )
    assert (lead.team_leader, lead.source_region, lead.officer_id) == (
        "陈博士",
        "上海",
        users["gxq"].pk,
    )
    assert lead.summary.startswith("来自第十二届“创业江苏”科技创新大赛新材料行业赛（三等奖）")
    entry.refresh_from_db()
    assert entry.lead_id == lead.pk
    with pytest.raises(ApplicationError, match="已转为招商项目"):
        services.entry_to_lead(actor=users["admin"], entry=entry)
    assert selectors.award_counts(user=users["gxq"])["leads_converted"] == 1


def test_an_enterprise_entry_is_not_turned_into_a_lead(users, competition, make_enterprise):
    junhua = make_enterprise("江苏君华特种高分子材料股份有限公司", "xth")
    entry = services.entry_create(
        actor=users["admin"],
        data={"competition": competition, "project_name": "PEEK", "enterprise": junhua},
    )
    assert entry.jurisdiction_id == junhua.jurisdiction_id  # the entry follows the enterprise
    with pytest.raises(ApplicationError, match="已在企业库中"):
        services.entry_to_lead(actor=users["admin"], entry=entry)


def test_an_entry_needs_an_enterprise_or_a_team(users, jurisdictions, competition):
    with pytest.raises(ApplicationError, match="请选择参赛企业"):
        services.entry_create(
            actor=users["gxq"],
            data={
                "competition": competition,
                "project_name": "无名",
                "jurisdiction": jurisdictions["gxq"],
            },
        )
    assert not CompetitionEntry.objects.unscoped().exists()


def test_results_are_version_checked_and_award_counts_by_jurisdiction(
    users, jurisdictions, competition, make_enterprise
):
    entries = []
    for name, unit, award in (
        ("甲有限公司", "gxq", "first"),
        ("乙有限公司", "gxq", "none"),
        ("丙有限公司", "xth", "second"),
        ("丁有限公司", "htkjy", "excellence"),
    ):
        entry = services.entry_create(
            actor=users["admin"],
            data={
                "competition": competition,
                "project_name": name,
                "enterprise": make_enterprise(name, unit),
            },
        )
        services.entry_result(
            actor=users["admin"], entry=entry, data={"award": award}, expected_version=1
        )
        entries.append(entry)
    with pytest.raises(ConcurrentEditError):
        services.entry_result(
            actor=users["admin"], entry=entries[0], data={"award": "third"}, expected_version=1
        )
    with pytest.raises(ApplicationError, match="不填名次"):
        services.entry_result(
            actor=users["admin"],
            entry=entries[1],
            data={"award": "none", "rank": 3},
            expected_version=2,
        )
    counts = selectors.award_counts(user=users["admin"], year=competition.year)
    assert (counts["entries"], counts["awards"]) == (4, 3)
    assert counts["by_jurisdiction"] == {
        "武进国家高新区": 1,
        "常州西太湖科技产业园": 1,
        "湖塘科技产业园": 1,
    }
    assert counts["by_award"] == {"一等奖": 1, "二等奖": 1, "三等奖": 0, "优秀奖": 1}
    assert selectors.award_counts(user=users["gxq"], year=competition.year)["awards"] == 1
    # The organiser's 全市 ranking is typed in by the admin.
    services.competition_update(
        actor=users["admin"],
        competition=competition,
        data={"city_rank": 1, "city_rank_note": "获奖数全市第一"},
        expected_version=1,
    )
    assert [c.city_rank for c in selectors.city_rankings(year=competition.year)] == [1]


# ---------------------------------------------------------------- listing reserve


def test_the_listing_pipeline_ends_in_a_title_on_the_ladder(users, make_enterprise):
    enterprise = make_enterprise("常州上市后备科技有限公司", "gxq")
    candidate = services.listing_add(
        actor=users["gxq"],
        enterprise=enterprise,
        data={"board": "star", "broker": "华泰联合证券"},
        on=TODAY - dt.timedelta(days=400),
    )
    with pytest.raises(ApplicationError, match="已在上市后备库中"):
        services.listing_add(actor=users["admin"], enterprise=enterprise, data={"board": "main"})
    candidate = services.listing_move(
        actor=users["gxq"],
        candidate=candidate,
        to_stage="tutoring",  # a forward skip (股改 done before 入库) is allowed
        on=TODAY - dt.timedelta(days=300),
    )
    with pytest.raises(ApplicationError, match="须说明原因"):
        services.listing_move(actor=users["gxq"], candidate=candidate, to_stage="reserve")
    with pytest.raises(ConcurrentEditError):
        services.listing_move(
            actor=users["gxq"], candidate=candidate, to_stage="filed", expected_version=1
        )
    candidate = services.listing_move(
        actor=users["gxq"], candidate=candidate, to_stage="listed", expected_version=2
    )
    assert (candidate.stage, candidate.listed_on, candidate.stage_label) == (
        "listed",
        TODAY,
        "已上市",
    )
    title = TitleHeld.objects.unscoped().get(enterprise=enterprise)
    assert (title.title, title.name, title.valid_from) == ("listed", "科创板上市", TODAY)
    assert Enterprise.objects.unscoped().get(pk=enterprise.pk).is_listed is True
    with pytest.raises(ApplicationError, match="不再变更阶段"):
        services.listing_move(
            actor=users["gxq"], candidate=candidate, to_stage="review", note="退回"
        )
    history = [
        (c.from_stage, c.to_stage)
        for c in selectors.listing_changes(user=users["gxq"], candidate=candidate)
    ]
    assert history == [("tutoring", "listed"), ("reserve", "tutoring"), ("", "reserve")]


def test_neeq_listing_is_a_title_beside_the_ladder_and_counts_apart(users, make_enterprise):
    a = make_enterprise("甲挂牌有限公司", "gxq")
    b = make_enterprise("乙上市有限公司", "gxq")
    c = make_enterprise("丙后备有限公司", "xth")
    for enterprise, board in ((a, "neeq"), (b, "main"), (c, "bse")):
        candidate = services.listing_add(
            actor=users["admin"],
            enterprise=enterprise,
            data={"board": board},
            on=TODAY - dt.timedelta(days=10),
        )
        if enterprise is not c:
            services.listing_move(actor=users["admin"], candidate=candidate, to_stage="listed")
    neeq = TitleHeld.objects.unscoped().get(enterprise=a)
    assert (neeq.title, neeq.name) == ("other", "新三板挂牌企业")
    assert Enterprise.objects.unscoped().get(pk=a.pk).is_listed is False
    assert ListingCandidate.objects.unscoped().get(enterprise=a).stage_label == "已挂牌"
    counts = selectors.listing_counts(user=users["admin"])
    assert (counts["listed"], counts["neeq"], counts["reserve"]) == (1, 1, 1)
    assert counts["by_board"] == {"北交所": 1}
    gxq = selectors.listing_counts(user=users["gxq"])
    assert (gxq["listed"], gxq["neeq"], gxq["reserve"]) == (1, 1, 0)


def test_a_listed_enterprise_keeps_its_existing_title(users, make_enterprise):
    """恒立液压 already holds its 上市 title: reaching 上市 adds none twice."""
    enterprise = make_enterprise("江苏恒立液压股份有限公司", "gxq", is_listed=True)
    TitleHeld.objects.unscoped().create(
        enterprise=enterprise, title="listed", name="上海证券交易所主板上市"
    )
    candidate = services.listing_add(
        actor=users["admin"], enterprise=enterprise, data={"board": "main"}, on=dt.date(2010, 1, 1)
    )
    services.listing_move(
        actor=users["admin"], candidate=candidate, to_stage="listed", on=dt.date(2011, 10, 28)
    )
    assert TitleHeld.objects.unscoped().filter(enterprise=enterprise).count() == 1


# ---------------------------------------------------------------- carriers as eligibility facts


def test_a_hosted_rd_centre_raises_the_hosts_rd_institution_level_never_lowers_it(
    users, make_enterprise
):
    from xinzhi.cultivation.models import QualificationProfile

    host = make_enterprise("常州研发中心依托有限公司", "gxq")
    other = make_enterprise("常州国家级中心有限公司", "gxq")

    def level(enterprise):
        profile = QualificationProfile.all_objects.filter(enterprise=enterprise).first()
        return profile.rd_institution_level if profile else None

    centre = services.carrier_create(
        actor=users["admin"],
        data={
            "name": "江苏省高性能材料工程技术研究中心",
            "kind": "rd_centre",
            "level": "municipal",
            "host_enterprise": host,
        },
    )
    assert level(host) == "municipal"
    services.carrier_update(
        actor=users["admin"], carrier=centre, data={"level": "provincial"}, expected_version=1
    )
    assert level(host) == "provincial"
    services.carrier_create(
        actor=users["admin"],
        data={
            "name": "区级研发中心",
            "kind": "rd_centre",
            "level": "district",
            "host_enterprise": host,
        },
    )
    assert level(host) == "provincial"  # a lower centre does not lower the fact
    services.carrier_create(
        actor=users["admin"],
        data={
            "name": "某孵化器",
            "kind": "incubator",
            "level": "national",
            "host_enterprise": other,
        },
    )
    assert level(other) is None  # only 研发机构 carriers are the rule sets' fact
