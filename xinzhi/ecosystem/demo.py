"""Demo data of the innovation ecosystem, from the seeds (dates relative to the load day).

The seeds' facts: the platforms 常州科教城, 龙城实验室, 中以常州创新园,
南京大学未来技术创新研究院 and 南医大常州校区; the 上海高校技术转移（常州）中心 that
"已推送科技项目14个" (14 leads here, with their stages); "新增国家级博士后科研工作站3家";
"累计建成省级智能车间44家" in 武进国家高新区;
创新联合体 and 揭榜挂帅 in 关键材料、基础元器件; 君华's 全场总分第一 in the 新材料行业赛 of
第十二届"创业江苏" (1204个报名项目); 优磁's 一等奖 at 2022 "创业之桥"; "获奖数均为全市第一";
"累计拥有境内外上市企业15家、新三板挂牌企业22家" in 武进国家高新区. Everything else is synthetic
and marked 示例数据.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from xinzhi.accounts.models import Jurisdiction, User
from xinzhi.attraction import services as attraction_services
from xinzhi.attraction.models import Lead, Stage
from xinzhi.ecosystem import services
from xinzhi.ecosystem.choices import (
    Award,
    Board,
    CarrierKind,
    CarrierLevel,
    CompetitionLevel,
    ListingStage,
    MemberKind,
    MemberRole,
    SpellOutcome,
    TaskStatus,
)
from xinzhi.ecosystem.models import (
    Carrier,
    CarrierPush,
    ChallengeTask,
    Competition,
    CompetitionEntry,
    IncubationSpell,
    ListingCandidate,
)
from xinzhi.enterprises.models import Enterprise

D = dt.date
TRANSFER_CENTRE = "上海高校技术转移（常州）中心"
HENGLI = "江苏恒立液压股份有限公司"
JUNHUA = "江苏君华特种高分子材料股份有限公司"
YOUCI = "常州优磁科技有限公司"
# (name, stage code reached, jurisdiction code, region, segment); 14 pushes, 2 landed.
PUSHED = [
    ("高通量微流控芯片成果转化项目", "registered", "wjhtz", "上海", "生物医药"),
    ("固态锂电池电解质材料项目", "registered", "xth", "上海", "新型储能"),
    ("车规级碳化硅功率模块封装项目", "signed", "wjhtz", "上海", "化合物半导体"),
    ("协作机器人柔性关节项目", "signed", "wjjkq", "上海", "机器人"),
    ("质子交换膜燃料电池双极板项目", "negotiation", "xth", "上海", "氢能"),
    ("可降解医用高分子材料项目", "negotiation", "wjhtz", "上海", "新材料"),
    ("工业视觉缺陷检测算法项目", "docking", "wjhtz", "上海", "智能制造"),
    ("低空飞行器复合材料机翼项目", "docking", "wjjkq", "上海", "低空经济"),
    ("合成生物法香料制备项目", "docking", "xth", "上海", "合成生物"),
    ("光伏硅片金刚线细线化项目", "clue", "wjhtz", "上海", "光伏"),
    ("车载激光雷达光学组件项目", "clue", "wjhtz", "上海", "智能网联汽车"),
    ("储能电站热管理系统项目", "clue", "xth", "上海", "新型储能"),
    ("高端轴承表面改性技术项目", "clue", "wjjkq", "上海", "高端装备"),
    ("医用内窥镜影像模组项目", "clue", "wjhtz", "上海", "医疗器械"),
]
STAGE_CODES = ["clue", "docking", "negotiation", "signed", "registered"]
BROKERS = ["华泰联合证券", "中信证券", "国泰君安证券", "东吴证券", "中信建投证券", "招商证券"]
ACCOUNTANTS = ["天健会计师事务所", "立信会计师事务所", "公证天业会计师事务所", "容诚会计师事务所"]
LAW_FIRMS = [
    "国浩律师事务所",
    "北京市中伦律师事务所",
    "江苏世纪同仁律师事务所",
    "上海市锦天城律师事务所",
]
ISSUES = [
    "募投项目用地指标需协调",
    "历史沿革中集体资产转让需出具确认意见",
    "环评批复需加快办理",
    "需协调开具无违法违规证明",
    "",
    "",
]


def _short(name: str) -> str:
    """常州某某科技有限公司 → 常州某某科技 (a project name from its enterprise)."""
    return name.removesuffix("股份有限公司").removesuffix("有限公司")


class _Loader:
    def __init__(self, admin: User, seed: int, today: dt.date, real_names: frozenset[str]) -> None:
        self.admin, self.today, self.rng = admin, today, random.Random(seed + 17)
        self.real_names = real_names
        self.units = {j.code: j for j in Jurisdiction.objects.all()}
        self.named = {e.name: e for e in Enterprise.objects.unscoped().filter(name__in=real_names)}

    def unit(self, code: str) -> Jurisdiction | None:
        return self.units.get(code)

    def synthetic(self, code: str) -> list[Enterprise]:
        """Synthetic demo enterprises of a 板块, oldest first (never the seeds' real ones)."""
        return list(
            Enterprise.objects.unscoped()
            .filter(is_demo=True, jurisdiction__code=code)
            .exclude(name__in=self.real_names)
            .order_by("registered_on", "id")
        )

    def youngest(self, code: str, taken: set[int]) -> Enterprise | None:
        """The most recently registered synthetic enterprise of a 板块 not used yet."""
        landed = set(
            Lead.objects.unscoped()
            .filter(enterprise__isnull=False)
            .values_list("enterprise_id", flat=True)
        )
        for enterprise in reversed(self.synthetic(code)):
            if enterprise.pk not in taken | landed:
                return enterprise
        return None

    def days_ago(self, low: int, high: int) -> dt.date:
        return self.today - dt.timedelta(days=self.rng.randint(low, high))

    # ------------------------------------------------------------ carriers

    def carrier(self, name: str, kind: str, level: str = "", **data: object) -> Carrier:
        return services.carrier_create(
            actor=self.admin,
            is_demo=True,
            data={"name": name, "kind": kind, "level": level, **data},
        )

    def carriers(self) -> dict[str, Carrier]:
        made = {}
        platforms = [
            (
                "常州科教城",
                CarrierKind.UNIVERSITY,
                CarrierLevel.MUNICIPAL,
                "常州市人民政府",
                None,
                "高校院所集聚、产学研协同的科教创新平台。",
            ),
            (
                "龙城实验室",
                CarrierKind.NEW_RD,
                CarrierLevel.PROVINCIAL,
                "常州市人民政府",
                None,
                "聚焦新能源领域的重大科技创新平台。",
            ),
            (
                "中以常州创新园",
                CarrierKind.ACCELERATOR,
                CarrierLevel.NATIONAL,
                "常州西太湖科技产业园",
                "xth",
                "国家级国际科技合作园区，集聚以色列创新项目。",
            ),
            (
                "南京大学未来技术创新研究院",
                CarrierKind.NEW_RD,
                "",
                "南京大学",
                None,
                "校地共建的新型研发机构。",
            ),
            (
                "南京医科大学常州校区",
                CarrierKind.UNIVERSITY,
                "",
                "南京医科大学",
                None,
                "医学教育与医药健康产业协同创新。",
            ),
            (
                TRANSFER_CENTRE,
                CarrierKind.TRANSFER,
                CarrierLevel.DISTRICT,
                "武进区科技局",
                None,
                "“企业为主体、市场为导向、政产学研结合”的校地合作模式，推送上海高校科技项目。",
            ),
        ]
        for name, kind, level, host, code, summary in platforms:
            made[name] = self.carrier(
                name,
                kind,
                level,
                host=host,
                jurisdiction=self.unit(code) if code else None,
                summary=summary,
                established_on=self.days_ago(400, 2400),
            )
        incubators = [
            ("武进国家高新区科技企业孵化器", CarrierKind.INCUBATOR, CarrierLevel.NATIONAL, "wjhtz"),
            ("西太湖科技产业园众创空间", CarrierKind.MAKERSPACE, CarrierLevel.PROVINCIAL, "xth"),
            ("湖塘科技产业园加速器", CarrierKind.ACCELERATOR, CarrierLevel.MUNICIPAL, "htkjy"),
        ]
        for name, kind, level, code in incubators:
            if self.unit(code) is not None:
                made[name] = self.carrier(
                    name,
                    kind,
                    level,
                    host=self.unit(code).label,
                    jurisdiction=self.unit(code),
                    established_on=self.days_ago(1500, 3000),
                )
        # 新增国家级博士后科研工作站3家 (last year), on enterprises the seeds name.
        for name in (
            "江苏恒立液压股份有限公司",
            "常州市新誉集团有限公司",
            "万帮数字能源股份有限公司",
        ):
            host = self.named.get(name)
            if host is not None:
                self.carrier(
                    f"{name}博士后科研工作站",
                    CarrierKind.POSTDOC,
                    CarrierLevel.NATIONAL,
                    host=name,
                    host_enterprise=host,
                    jurisdiction=host.jurisdiction,
                    recognised_on=D(self.today.year - 1, 10, 15),
                )
        # 累计建成省级智能车间44家 in 武进国家高新区.
        hosts = [self.named[n] for n in (HENGLI, "常州市新誉集团有限公司") if n in self.named]
        hosts += self.synthetic("wjhtz")
        for index, host in enumerate(hosts[:44]):
            self.carrier(
                f"{host.name}省级智能车间",
                CarrierKind.SMART_WORKSHOP,
                CarrierLevel.PROVINCIAL,
                host=host.name,
                host_enterprise=host,
                jurisdiction=host.jurisdiction,
                recognised_on=D(self.today.year - 1 - index % 6, 12, 1),
            )
        return made

    def pushes(self, centre: Carrier) -> int:
        stages = {s.code: s for s in Stage.objects.all()}
        taken: set[int] = set()
        for index, (name, reached, code, region, segment) in enumerate(PUSHED):
            unit = self.unit(code) or self.unit("wjhtz")
            if unit is None:
                return index
            start = self.today - dt.timedelta(days=330 - index * 18)
            push = services.carrier_push_lead(
                actor=self.admin,
                carrier=centre,
                pushed_on=start,
                is_demo=True,
                data={
                    "name": name,
                    "summary": f"{TRANSFER_CENTRE}推送的上海高校科技成果转化项目。",
                    "source_region": region,
                    "segment": segment,
                    "jurisdiction": unit,
                },
            )
            on = start
            for step in STAGE_CODES[1 : STAGE_CODES.index(reached) + 1]:
                on = min(on + dt.timedelta(days=self.rng.randint(20, 40)), self.today)
                if step == "registered":
                    # Linked to a young demo enterprise of the 板块 (the demo adds no
                    # enterprises of its own after cultivation has profiled them all).
                    landed = self.youngest(unit.code, taken)
                    if landed is None:
                        break
                    taken.add(landed.pk)
                    attraction_services.lead_land(
                        actor=self.admin,
                        lead=push.lead,
                        credit_code=landed.credit_code,
                        create=False,
                        on=on,
                        today=on,
                        note="完成工商注册，关联企业库",
                    )
                else:
                    attraction_services.lead_move(
                        actor=self.admin, lead=push.lead, to_stage=stages[step], on=on, today=on
                    )
            # Every pushed project has been followed up lately: none is stale or overdue.
            attraction_services.docking_record(
                actor=self.admin,
                lead=push.lead,
                today=self.today,
                is_demo=True,
                data={
                    "held_on": max(on, self.today - dt.timedelta(days=self.rng.randint(3, 20))),
                    "form": "online",
                    "notes": f"与{TRANSFER_CENTRE}及项目团队沟通转化进展",
                    "next_follow_up_on": self.today + dt.timedelta(days=self.rng.randint(10, 40)),
                },
            )
        return len(PUSHED)

    def spells(self, made: dict[str, Carrier]) -> None:
        for carrier_name, code, count in (
            ("武进国家高新区科技企业孵化器", "wjhtz", 12),
            ("西太湖科技产业园众创空间", "xth", 8),
            ("湖塘科技产业园加速器", "htkjy", 5),
        ):
            carrier = made.get(carrier_name)
            if carrier is None:
                continue
            young = sorted(self.synthetic(code), key=lambda e: e.registered_on or self.today)
            for index, enterprise in enumerate(list(reversed(young))[:count]):
                entered = max(enterprise.registered_on or self.today, self.days_ago(200, 1500))
                spell = services.spell_start(
                    actor=self.admin,
                    carrier=carrier,
                    enterprise=enterprise,
                    entered_on=min(entered, self.today),
                    is_demo=True,
                )
                if index % 3 == 0:
                    left = min(spell.entered_on + dt.timedelta(days=540), self.today)
                    services.spell_close(
                        actor=self.admin, spell=spell, outcome=SpellOutcome.GRADUATED, left_on=left
                    )

    def consortia(self) -> None:
        junhua, hengli = self.named.get(JUNHUA), self.named.get(HENGLI)
        vcsel = self.named.get("常州纵慧芯光半导体科技有限公司")
        chengxin = self.named.get("常州承芯半导体有限公司")
        specs = [
            (
                "特种高分子关键材料创新联合体",
                junhua,
                "关键材料",
                [
                    ("南京大学未来技术创新研究院", MemberKind.INSTITUTE, None),
                    ("龙城实验室", MemberKind.INSTITUTE, None),
                    (HENGLI, MemberKind.ENTERPRISE, hengli),
                ],
            ),
            (
                "化合物半导体基础元器件创新联合体",
                vcsel,
                "基础元器件",
                [
                    ("常州承芯半导体有限公司", MemberKind.ENTERPRISE, chengxin),
                    ("常州科教城", MemberKind.UNIVERSITY, None),
                ],
            ),
        ]
        for name, lead, field, members in specs:
            if lead is None:
                continue
            carrier = self.carrier(
                name,
                CarrierKind.CONSORTIUM,
                CarrierLevel.DISTRICT,
                host=lead.name,
                host_enterprise=lead,
                jurisdiction=lead.jurisdiction,
                focus=field,
                established_on=self.days_ago(300, 500),
                summary="领军企业牵头，大学、科研院所共建，聚焦“卡脖子”技术攻关。",
            )
            services.member_add(
                actor=self.admin,
                carrier=carrier,
                is_demo=True,
                data={
                    "name": lead.name,
                    "member_kind": MemberKind.ENTERPRISE,
                    "role": MemberRole.LEAD,
                    "enterprise": lead,
                },
            )
            for member, kind, enterprise in members:
                services.member_add(
                    actor=self.admin,
                    carrier=carrier,
                    is_demo=True,
                    data={
                        "name": member,
                        "member_kind": kind,
                        "role": MemberRole.MEMBER,
                        "enterprise": enterprise,
                    },
                )
            self.tasks(carrier, lead, field)

    def tasks(self, carrier: Carrier, lead: Enterprise, field: str) -> None:
        published = self.days_ago(200, 260)
        titles = {
            "关键材料": [
                ("航空级聚醚醚酮（PEEK）复合材料连续成型工艺", 800),
                ("耐高温特种工程塑料国产化替代", 500),
            ],
            "基础元器件": [("车规级VCSEL芯片可靠性提升", 600)],
        }[field]
        for index, (title, budget) in enumerate(titles):
            task = services.task_create(
                actor=self.admin,
                is_demo=True,
                data={
                    "carrier": carrier,
                    "title": title,
                    "field": field,
                    "issuer": lead.name,
                    "challenge": f"突破{title}关键技术，形成可量产的工艺包与标准样件。",
                    "budget": Decimal(budget),
                    "published_on": published,
                    "due_on": published + dt.timedelta(days=730),
                },
            )
            if index == 0:
                services.task_advance(
                    actor=self.admin,
                    task=task,
                    status=TaskStatus.TAKEN,
                    team="南京大学未来技术创新研究院联合攻关团队",
                    on=published + dt.timedelta(days=30),
                )
                services.task_advance(actor=self.admin, task=task, status=TaskStatus.ONGOING)
                for offset, name, done in (
                    (90, "完成材料配方验证", True),
                    (240, "中试线工艺打通", False),
                    (600, "通过用户验证并验收", False),
                ):
                    milestone = services.milestone_add(
                        actor=self.admin,
                        task=task,
                        data={"name": name, "planned_on": published + dt.timedelta(days=offset)},
                    )
                    if done:
                        services.milestone_done(
                            actor=self.admin,
                            milestone=milestone,
                            on=published + dt.timedelta(days=offset - 5),
                        )

    # ------------------------------------------------------------ competitions

    def competitions(self) -> None:
        year = self.today.year
        jiangsu = services.competition_create(
            actor=self.admin,
            is_demo=True,
            data={
                "name": "“创业江苏”科技创新大赛",
                "edition": "第十二届",
                "year": year,
                "level": CompetitionLevel.PROVINCIAL,
                "organiser": "江苏省科学技术厅",
                "held_on": self.days_ago(40, 90),
                "city_rank": 1,
                "city_rank_note": "获奖数全市第一",
            },
        )
        hualuogeng = services.competition_create(
            actor=self.admin,
            is_demo=True,
            data={
                "name": "常州市华罗庚大赛",
                "year": year,
                "level": CompetitionLevel.MUNICIPAL,
                "organiser": "常州市科学技术局",
                "held_on": self.days_ago(20, 60),
                "city_rank": 1,
                "city_rank_note": "获奖数全市第一",
            },
        )
        bridge = services.competition_create(
            actor=self.admin,
            is_demo=True,
            data={
                "name": "常州“创业之桥”海外人才创新创业邀请赛",
                "year": 2022,
                "level": CompetitionLevel.MUNICIPAL,
                "organiser": "常州市人民政府",
            },
        )
        junhua = self.named.get(JUNHUA)
        if junhua is not None:
            self.entry(
                jiangsu,
                "新材料行业赛",
                "应用于航空航天领域PEEK材料解决方案",
                enterprise=junhua,
                award=Award.FIRST,
                rank=1,
                note="在1204个报名项目中脱颖而出，斩获全场总分第一",
            )
        youci = self.named.get(YOUCI)
        if youci is not None:
            self.entry(
                bridge,
                "海外人才",
                "高磁通动力系统",
                enterprise=youci,
                award=Award.FIRST,
                entered=D(2022, 6, 1),
            )
        tracks = ["新能源行业赛", "新一代信息技术行业赛", "高端装备行业赛", "生物医药行业赛"]
        awards = [
            Award.SECOND,
            Award.THIRD,
            Award.THIRD,
            Award.EXCELLENCE,
            Award.EXCELLENCE,
            Award.NONE,
        ]
        pool = [e for code in ("wjhtz", "xth", "wjjkq", "htkjy") for e in self.synthetic(code)[-6:]]
        for index, enterprise in enumerate(pool[:14]):
            competition = jiangsu if index % 2 == 0 else hualuogeng
            award = awards[index % len(awards)]
            self.entry(
                competition,
                tracks[index % len(tracks)],
                f"{_short(enterprise.name)}{('智能', '绿色', '高效')[index % 3]}化升级项目",
                enterprise=enterprise,
                award=award,
            )
        outside = [
            (
                jiangsu,
                "新材料行业赛",
                "高导热氮化硼复合膜材料",
                "上海氮硼新材料团队",
                "上海",
                Award.THIRD,
                "wjhtz",
            ),
            (
                hualuogeng,
                "生物医药",
                "mRNA递送脂质体制剂平台",
                "苏州脂递生物团队",
                "苏州",
                Award.SECOND,
                "xth",
            ),
            (
                jiangsu,
                "新能源行业赛",
                "钠离子电池正极材料",
                "深圳钠能科技团队",
                "深圳",
                Award.EXCELLENCE,
                "wjjkq",
            ),
            (
                hualuogeng,
                "高端装备",
                "微型谐波减速器",
                "杭州谐传智能团队",
                "杭州",
                Award.NONE,
                "wjhtz",
            ),
        ]
        for index, (competition, track, name, team, region, award, code) in enumerate(outside):
            if self.unit(code) is None:
                continue
            entry = self.entry(
                competition,
                track,
                name,
                team=team,
                region=region,
                award=award,
                unit=self.unit(code),
            )
            if index == 2:  # one promising team is already being worked as a lead
                services.entry_to_lead(actor=self.admin, entry=entry, is_demo=True)

    def entry(
        self,
        competition: Competition,
        track: str,
        name: str,
        *,
        enterprise: Enterprise | None = None,
        team: str = "",
        region: str = "",
        award: str = Award.PENDING,
        rank: int | None = None,
        note: str = "",
        unit: Jurisdiction | None = None,
        entered: dt.date | None = None,
    ) -> CompetitionEntry:
        data = {
            "competition": competition,
            "track": track,
            "project_name": name,
            "enterprise": enterprise,
            "team_name": team,
            "team_leader": self.rng.choice(["陈博士", "刘教授", "王工", "张博士", "李总"]),
            "source_region": region,
            "entered_on": entered or (competition.held_on or self.today) - dt.timedelta(days=60),
        }
        if unit is not None:
            data["jurisdiction"] = unit
        entry = services.entry_create(actor=self.admin, is_demo=True, data=data)
        if award != Award.PENDING:
            entry = services.entry_result(
                actor=self.admin,
                entry=entry,
                data={"award": award, "rank": rank, "result_note": note},
                expected_version=None,
            )
        return entry

    # ------------------------------------------------------------ listing reserve

    def listing(self) -> None:
        gxq = self.synthetic("wjhtz")
        hengli = self.named.get(HENGLI)
        listed = ([hengli] if hengli is not None else []) + gxq[: 15 - (hengli is not None)]
        rest = gxq[len(listed) - (hengli is not None) :]
        neeq, rest = rest[:22], rest[22:]
        for index, enterprise in enumerate(listed):
            board = (
                Board.MAIN
                if enterprise == hengli
                else (Board.MAIN, Board.STAR, Board.CHINEXT, Board.OVERSEAS)[index % 4]
            )
            listed_on = D(2011, 10, 28) if enterprise == hengli else self.days_ago(400, 4000)
            self.candidate(enterprise, board, ListingStage.LISTED, listed_on)
        for enterprise in neeq:
            self.candidate(enterprise, Board.NEEQ, ListingStage.LISTED, self.days_ago(300, 3000))
        reserve = []
        for name, board, stage in (
            (JUNHUA, Board.STAR, ListingStage.RESTRUCTURED),
            ("万帮数字能源股份有限公司", Board.MAIN, ListingStage.FILED),
        ):
            if name in self.named:
                reserve.append((self.named[name], board, stage))
        others = rest[:8] + [
            e for code in ("xth", "wjjkq", "htkjy", "nxsjd") for e in self.synthetic(code)[:4]
        ]
        stages = [ListingStage.RESERVE] * 7 + [
            ListingStage.RESTRUCTURED,
            ListingStage.RESTRUCTURED,
            ListingStage.RESTRUCTURED,
            ListingStage.TUTORING,
            ListingStage.TUTORING,
            ListingStage.FILED,
            ListingStage.REVIEW,
            ListingStage.REGISTERED,
        ]
        boards = [Board.BSE, Board.CHINEXT, Board.STAR, Board.MAIN, Board.NEEQ]
        for index, enterprise in enumerate(others[:22]):
            reserve.append((enterprise, boards[index % len(boards)], stages[index % len(stages)]))
        for enterprise, board, stage in reserve:
            self.candidate(enterprise, board, stage, self.days_ago(20, 200))

    def candidate(
        self, enterprise: Enterprise, board: str, stage: str, reached_on: dt.date
    ) -> ListingCandidate:
        entered = reached_on - dt.timedelta(days=self.rng.randint(200, 900))
        candidate = services.listing_add(
            actor=self.admin,
            enterprise=enterprise,
            on=entered,
            is_demo=True,
            data={
                "board": board,
                "broker": self.rng.choice(BROKERS),
                "accountant": self.rng.choice(ACCOUNTANTS),
                "law_firm": self.rng.choice(LAW_FIRMS),
                "issues": "" if stage == ListingStage.LISTED else self.rng.choice(ISSUES),
            },
        )
        if stage != ListingStage.RESERVE:
            candidate = services.listing_move(
                actor=self.admin, candidate=candidate, to_stage=stage, on=reached_on, is_demo=True
            )
        return candidate


def demo_counts() -> dict[str, int]:
    """What the 创新生态 demo holds (for the seed command's summary)."""
    return {
        "创新载体": Carrier.objects.filter(is_demo=True).count(),
        "载体推送项目": CarrierPush.objects.unscoped().filter(is_demo=True).count(),
        "在孵记录": IncubationSpell.objects.unscoped().filter(is_demo=True).count(),
        "揭榜挂帅榜单": ChallengeTask.objects.filter(is_demo=True).count(),
        "参赛项目": CompetitionEntry.objects.unscoped().filter(is_demo=True).count(),
        "上市后备企业": ListingCandidate.objects.unscoped().filter(is_demo=True).count(),
    }


@transaction.atomic
def load_demo(
    *,
    admin: User,
    seed: int,
    today: dt.date | None = None,
    real_names: frozenset[str] = frozenset(),
) -> dict[str, int]:
    """Load the 创新生态 demo once (idempotent), dated relative to `today`; counts by kind."""
    if not Carrier.objects.filter(is_demo=True).exists():
        loader = _Loader(admin, seed, today or timezone.localdate(), real_names)
        made = loader.carriers()
        if TRANSFER_CENTRE in made and Stage.objects.exists():
            loader.pushes(made[TRANSFER_CENTRE])
        loader.spells(made)
        loader.consortia()
        loader.competitions()
        loader.listing()
    return demo_counts()
