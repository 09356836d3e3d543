"""Demo data of the 科技招商 pipeline (示例数据): the seeds' projects and synthetic leads.

Everything goes through the services with a replayed clock (`today=`), so stage history,
docking counts, audit events and the enterprise timeline are what real use would produce.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from xinzhi.accounts.models import Jurisdiction, User
from xinzhi.attraction import services
from xinzhi.attraction.choices import (
    AftercareStatus,
    AftercareType,
    Channel,
    DockingForm,
    LostReason,
    ReferralStatus,
    ScaleStage,
    TalentProgramme,
)
from xinzhi.attraction.models import AftercareRequest, Docking, Lead, Stage, TalentReferral
from xinzhi.enterprises.models import Enterprise
from xinzhi.enterprises.uscc import make_credit_code

D = dt.date
STAGE_CODES = ["clue", "docking", "negotiation", "signed", "registered", "production"]


@dataclass(frozen=True)
class StoryLead:
    name: str
    jurisdiction: str
    region: str
    channel: str
    segment: str
    summary: str
    stage: str  # furthest stage code
    start: dt.date
    investment: int | None = None
    scale: str = ScaleStage.ONE_TEN
    team_leader: str = ""
    dockings: int = 2
    enterprise: str = ""  # a story enterprise to link at landing
    new_enterprise: str = ""  # or the master record to create at landing
    fields: dict = field(default_factory=dict)


def _story(today: dt.date) -> list[StoryLead]:
    recent = today - dt.timedelta(days=150)
    return [
        StoryLead(
            "新型无掩膜直写微米光刻系统项目",
            "wjhtz",
            "上海",
            Channel.UNIVERSITY,
            "半导体装备",
            "经科技招商于2022年落户武进，开展“新型无掩膜直写微米光刻系统关键技术研发”，获2023年"
            "常州市重点研发计划立项，相关产品计划6月投入市场。（来源：武进日报）",
            "production",
            D(2021, 9, 6),
            investment=5000,
            team_leader="耿婷",
            dockings=3,
            enterprise="领先光学技术（江苏）有限公司",
        ),
        StoryLead(
            "高功率·大能量·超快固体激光器项目",
            "wjhtz",
            "合肥",
            Channel.OFFICE,
            "激光与光电",
            "安徽华创鸿度光电科技有限公司旗下项目，3次对接武进国家高新区后正式签约。（来源：武进日报）",
            "signed",
            recent,
            investment=8000,
            scale=ScaleStage.TEN_HUNDRED,
            dockings=3,
        ),
        StoryLead(
            "智能驾驶控制器ADU研发、生产和销售项目",
            "wjhtz",
            "上海",
            Channel.KECHUANGBANG,
            "智能网联汽车",
            "常州锋弛新能源科技有限公司的智能驾驶控制器ADU项目经科技招商落地武进。（来源：武进日报）",
            "registered",
            today - dt.timedelta(days=300),
            investment=3000,
            dockings=3,
            enterprise="常州锋弛新能源科技有限公司",
        ),
        StoryLead(
            "景铂汽车零部件制造项目",
            "wjjkq",
            "宁波",
            Channel.BUSINESS,
            "新能源汽车零部件",
            "景铂汽车零部件制造（常州）有限公司经科技招商落户，已投产。（来源：武进日报）",
            "production",
            today - dt.timedelta(days=420),
            investment=12000,
            scale=ScaleStage.TEN_HUNDRED,
            dockings=4,
            enterprise="景铂汽车零部件制造（常州）有限公司",
        ),
        StoryLead(
            "优美墅混凝土3D打印及PC-BOX模盒房屋项目",
            "wjjkq",
            "湖北",
            Channel.ROADSHOW,
            "绿色建材",
            "来自湖北的混凝土3D打印及PC-BOX模盒房屋项目落户武进。（来源：武进日报；企业信息为示例）",
            "registered",
            today - dt.timedelta(days=330),
            investment=2000,
            dockings=2,
            new_enterprise="常州优美墅建筑科技有限公司",
        ),
        StoryLead(
            "基于央行数字货币人民币下的数字孪生元宇宙项目",
            "wjhtz",
            "上海",
            Channel.KECHUANGBANG,
            "数字经济",
            "来自上海的数字孪生元宇宙项目落户武进。（来源：武进日报；企业信息为示例）",
            "registered",
            today - dt.timedelta(days=310),
            investment=1500,
            dockings=2,
            new_enterprise="常州孪生元境数字科技有限公司",
        ),
        StoryLead(
            "基于3D打印技术仿生智能材料的射频消融手术模拟器产业化项目",
            "xth",
            "深圳",
            Channel.AGENCY,
            "医疗器械",
            "来自深圳的项目团队在常州西太湖科技产业园研发第二代样机。（来源：武进日报）",
            "negotiation",
            today - dt.timedelta(days=120),
            investment=1200,
            dockings=3,
        ),
        StoryLead(
            "常州氢湾国际创新社区项目",
            "xth",
            "常州",
            Channel.FUND,
            "氢能",
            "区重点项目，总投资2亿元，分两期建设6栋厂房，重点招引制氢、氢储运、燃料电池、氢储能的"
            "核心零部件及检测检验企业。（来源：武进日报）",
            "signed",
            today - dt.timedelta(days=240),
            investment=20000,
            scale=ScaleStage.HUNDRED_PLUS,
            dockings=4,
        ),
        StoryLead(
            "高磁通动力系统研发与制造项目",
            "htkjy",
            "海外",
            Channel.KECHUANGBANG,
            "新能源汽车",
            "科创帮推送的人才项目，2021年入选第十七批“龙城英才计划”，已实现量产。（来源：武进日报）",
            "production",
            D(2020, 3, 2),
            investment=2800,
            dockings=2,
            enterprise="常州优磁科技有限公司",
        ),
    ]


REGIONS = [
    ("上海", 30),
    ("深圳", 14),
    ("北京", 12),
    ("杭州", 10),
    ("南京", 8),
    ("苏州", 7),
    ("广州", 6),
    ("合肥", 5),
    ("武汉", 4),
    ("西安", 3),
    ("海外", 6),
]
CHANNELS = [
    (Channel.KECHUANGBANG, 18),
    (Channel.UNIVERSITY, 16),
    (Channel.BUSINESS, 14),
    (Channel.OFFICE, 12),
    (Channel.ROADSHOW, 10),
    (Channel.FAIR, 8),
    (Channel.AGENCY, 8),
    (Channel.FUND, 6),
    (Channel.INSTITUTE, 5),
    (Channel.WALK_IN, 3),
]
SEGMENTS = {
    "新能源汽车": ["电驱动系统", "车载激光雷达", "热管理系统", "800V快充模块", "线控底盘"],
    "半导体": ["碳化硅功率器件", "MEMS传感器", "射频前端芯片", "先进封装", "VCSEL激光芯片"],
    "智能制造装备": ["协作机器人", "精密减速器", "机器视觉检测设备", "数控系统"],
    "新材料": ["PEEK复合材料", "石墨烯导热膜", "高性能碳纤维", "特种涂层"],
    "光伏与储能": ["钙钛矿电池", "储能变流器", "钠离子电池", "光储一体化系统"],
    "氢能": ["PEM电解槽", "燃料电池电堆", "储氢瓶阀", "氢气压缩机"],
    "生物医药": ["mRNA递送平台", "体外诊断试剂", "细胞治疗", "创新药CRO"],
    "医疗器械": ["手术机器人", "可穿戴监护设备", "骨科植入物", "医用内窥镜"],
    "工业互联网": ["工业软件", "数字孪生平台", "边缘计算网关", "设备预测性维护"],
}
SUFFIXES = ["研发及产业化项目", "项目", "产业化基地项目", "研发中心项目"]
JURISDICTION_WEIGHTS = {
    "wjhtz": 30,
    "xth": 18,
    "wjjkq": 14,
    "htkjy": 6,
    "htz": 4,
    "ntz": 4,
    "lyz": 4,
    "nxsjd": 4,
    "xhjd": 3,
    "xyz": 3,
    "qhz": 3,
    "ljz": 3,
    "jzz": 2,
    "hlz": 2,
}
FURTHEST = [(0, 33), (1, 25), (2, 18), (3, 11), (4, 8), (5, 5)]
PEOPLE = [
    *("张伟", "王芳", "李强", "刘洋", "陈静", "杨帆", "赵磊", "黄敏"),
    *("周杰", "吴昊", "徐丽", "孙涛", "马骏", "朱琳", "胡斌", "郭峰"),
]
NOTES = [
    "介绍武进产业政策与载体情况，项目方关注厂房和人才公寓",
    "赴项目方实地考察研发中心，了解技术路线与团队构成",
    "线上沟通投资计划与落地节奏",
    "组织专家对技术先进性进行论证",
    "陪同项目方考察标准厂房，讨论租金与装修补贴",
    "洽谈投资协议主要条款",
]
NEXT_STEPS = ["补充商业计划书", "安排实地考察", "提交政策申请材料", "确定签约时间", "对接产业基金"]


def _pick(rng: random.Random, pairs: list[tuple]) -> object:
    return rng.choices([p for p, _ in pairs], weights=[w for _, w in pairs])[0]


class _Loader:
    def __init__(self, admin: User, seed: int) -> None:
        self.admin = admin
        self.rng = random.Random(seed)
        self.today = timezone.localdate()
        self.stages = {s.code: s for s in services.stages_ensure_defaults()}
        self.jurisdictions = {j.code: j for j in Jurisdiction.objects.all()}
        self.officers = {
            u.jurisdiction.code: u
            for u in User.objects.filter(role="officer", jurisdiction__isnull=False).select_related(
                "jurisdiction"
            )
        }

    def officer(self, code: str) -> User:
        return self.officers.get(code, self.admin)

    def credit_code(self) -> str:
        while True:
            code = make_credit_code(self.rng)
            if not Enterprise.objects.unscoped().filter(credit_code=code).exists():
                return code

    def docking(self, lead: Lead, on: dt.date, follow: bool) -> None:
        rng = self.rng
        next_on = on + dt.timedelta(days=rng.randint(7, 40)) if follow else None
        services.docking_record(
            actor=self.admin,
            lead=lead,
            today=on,
            is_demo=True,
            data={
                "held_on": on,
                "form": rng.choice(DockingForm.values),
                "participants": f"{lead.officer or self.admin}、项目方{rng.choice(PEOPLE)}",
                "notes": rng.choice(NOTES),
                "next_step": rng.choice(NEXT_STEPS),
                "next_follow_up_on": next_on,
            },
        )

    def walk(
        self,
        lead: Lead,
        start: dt.date,
        furthest: int,
        dockings: int,
        *,
        enterprise: Enterprise | None = None,
        new_enterprise: str = "",
    ) -> dt.date:
        """Replay a lead's life: dockings in the early stages, then each stage move."""
        rng = self.rng
        on = start
        span = max((self.today - start).days, furthest * 3 + dockings + 1)
        step = max(span // (furthest + dockings + 1), 2)
        done = 0
        for index in range(1, furthest + 1):
            # Dockings happen before 签约.
            while done < dockings and index <= 4:
                on = min(on + dt.timedelta(days=rng.randint(step // 2, step)), self.today)
                self.docking(lead, on, follow=True)
                done += 1
                if done * 4 >= dockings * index:
                    break
            on = min(on + dt.timedelta(days=rng.randint(step // 2, step)), self.today)
            code = STAGE_CODES[index]
            if code == "registered":
                services.lead_land(
                    actor=self.admin,
                    lead=lead,
                    credit_code=enterprise.credit_code if enterprise else self.credit_code(),
                    create=enterprise is None,
                    enterprise_data={"name": new_enterprise, "registered_on": on},
                    on=on,
                    today=on,
                    note="完成工商注册，关联企业库",
                )
            else:
                services.lead_move(
                    actor=self.admin,
                    lead=lead,
                    to_stage=self.stages[code],
                    on=on,
                    today=on,
                    note=rng.choice(["", "双方意向明确", "完成尽调", "领导带队会商"]),
                )
        while done < dockings:
            on = min(on + dt.timedelta(days=rng.randint(step // 2, step)), self.today)
            self.docking(lead, on, follow=True)
            done += 1
        return on

    def create(self, *, name: str, code: str, start: dt.date, **data: object) -> Lead:
        return services.lead_create(
            actor=self.admin,
            on=start,
            is_demo=True,
            data={
                "name": name,
                "jurisdiction": self.jurisdictions[code],
                "officer": self.officer(code),
                **data,
            },
        )

    def story(self) -> list[Lead]:
        leads = []
        for item in _story(self.today):
            if item.jurisdiction not in self.jurisdictions:
                continue
            lead = self.create(
                name=item.name,
                code=item.jurisdiction,
                start=item.start,
                summary=item.summary,
                source_region=item.region,
                channel=item.channel,
                segment=item.segment,
                scale_stage=item.scale,
                planned_investment=Decimal(item.investment) if item.investment else None,
                team_leader=item.team_leader,
                contact_name=self.rng.choice(PEOPLE),
            )
            enterprise = (
                Enterprise.objects.unscoped().filter(name=item.enterprise).first()
                if item.enterprise
                else None
            )
            furthest = STAGE_CODES.index(item.stage)
            if furthest >= 4 and enterprise is None and not item.new_enterprise:
                furthest = 3  # the story enterprise is missing: stop at 签约
            self.walk(
                lead,
                item.start,
                furthest,
                item.dockings,
                enterprise=enterprise,
                new_enterprise=item.new_enterprise or item.name,
            )
            leads.append(lead)
        return leads

    def synthetic(self, count: int) -> list[Lead]:
        rng = self.rng
        codes = [c for c in JURISDICTION_WEIGHTS if c in self.jurisdictions]
        weights = [JURISDICTION_WEIGHTS[c] for c in codes]
        leads = []
        for _ in range(count):
            chain = rng.choice(list(SEGMENTS))
            product = rng.choice(SEGMENTS[chain])
            code = rng.choices(codes, weights=weights)[0]
            start = self.today - dt.timedelta(days=rng.randint(3, 365))
            furthest = _pick(rng, FURTHEST)
            scale = rng.choices(ScaleStage.values, weights=[60, 30, 10])[0]
            lead = self.create(
                name=f"{product}{rng.choice(SUFFIXES)}",
                code=code,
                start=start,
                summary=f"{chain}产业链{product}方向的科技项目（示例数据）。",
                source_region=_pick(rng, REGIONS),
                channel=_pick(rng, CHANNELS),
                segment=chain,
                scale_stage=scale,
                planned_investment=Decimal(rng.choice([300, 500, 800, 1000, 2000, 3000, 5000])),
                team_leader=rng.choice(PEOPLE),
                contact_name=rng.choice(PEOPLE),
                contact_phone=f"139{rng.randrange(10**8):08d}",
            )
            days = (self.today - start).days
            furthest = min(furthest, max(days // 20, 0), 5)
            dockings = 0 if furthest == 0 and rng.random() < 0.5 else rng.randint(1, 4)
            name = "常州" + product[:2] + rng.choice(["智造", "科技", "新能", "芯创"]) + "有限公司"
            last = self.walk(lead, start, furthest, dockings, new_enterprise=name)
            if furthest < 3 and rng.random() < 0.12:
                reason = rng.choice(LostReason.values)
                services.lead_drop(
                    actor=self.admin,
                    lead=lead,
                    reason=reason,
                    note="项目方另有安排" if reason == LostReason.OTHER else "",
                    on=last,
                )
            leads.append(lead)
        return leads

    def aftercare(self, leads: list[Lead]) -> int:
        rng = self.rng
        created = 0
        titles = {
            AftercareType.PREMISES: "申请标准厂房扩租",
            AftercareType.FINANCING: "对接科技贷款与产业基金",
            AftercareType.SUPPLY_CHAIN: "对接本地配套供应商",
            AftercareType.TALENT: "研发人员子女入学与人才公寓",
            AftercareType.POLICY: "咨询高企认定与研发费用加计扣除",
            AftercareType.APPROVAL: "环评与施工许可审批帮办",
        }
        for lead in leads:
            lead.refresh_from_db()
            if lead.enterprise_id is None:
                continue
            for _ in range(rng.randint(1, 2)):
                kind = rng.choice(AftercareType.values)
                submitted = timezone.now() - dt.timedelta(days=rng.randint(2, 120))
                request = services.aftercare_create(
                    actor=self.admin,
                    enterprise=lead.enterprise,
                    lead=lead,
                    submitted_at=submitted,
                    is_demo=True,
                    data={"kind": kind, "title": titles[kind], "owner": lead.officer},
                )
                created += 1
                roll = rng.random()
                if roll < 0.8:
                    responded = submitted + dt.timedelta(hours=rng.randint(2, 72))
                    services.aftercare_advance(
                        actor=self.admin,
                        request=request,
                        status=AftercareStatus.IN_PROGRESS,
                        at=responded,
                    )
                    if roll < 0.55:
                        services.aftercare_advance(
                            actor=self.admin,
                            request=request,
                            status=AftercareStatus.CLOSED,
                            resolution="已协调相关部门办结，企业满意",
                            at=responded + dt.timedelta(days=rng.randint(1, 30)),
                        )
        return created

    def referrals(self) -> int:
        rng = self.rng
        codes = [c for c in ("wjhtz", "xth", "wjjkq", "htkjy", "nxsjd") if c in self.jurisdictions]
        youci = Enterprise.objects.unscoped().filter(name="常州优磁科技有限公司").first()
        created = 0
        # 科创帮: 23 talent projects, 4 landed as 龙城英才, 1 other tech enterprise landed.
        for i in range(23):
            chain = rng.choice(list(SEGMENTS))
            if i == 0 and youci is not None:
                name, code, status = (
                    "高磁通动力系统",
                    youci.jurisdiction.code,
                    ReferralStatus.LANDED,
                )
                programme, batch = TalentProgramme.LONGCHENG, "第十七批"
            else:
                name = rng.choice(SEGMENTS[chain])
                code = rng.choice(codes)
                status = (
                    ReferralStatus.LANDED
                    if i < 5
                    else ReferralStatus.SELECTED
                    if i < 9
                    else ReferralStatus.PUSHED
                )
                programme = TalentProgramme.OTHER if i == 4 else TalentProgramme.LONGCHENG
                batch = rng.choice(["第十七批", "第十八批", "第十九批"])
            created += self._referral(
                f"{name}人才创业项目",
                code,
                "科创帮",
                programme,
                batch,
                status,
                youci if i == 0 else None,
            )
        # 上海高校技术转移（常州）中心: 14 technology projects pushed.
        for i in range(14):
            chain = rng.choice(list(SEGMENTS))
            created += self._referral(
                f"{rng.choice(SEGMENTS[chain])}成果转化项目",
                rng.choice(codes),
                "上海高校技术转移（常州）中心",
                TalentProgramme.WUJIN,
                "2024年度",
                ReferralStatus.SELECTED if i < 3 else ReferralStatus.PUSHED,
                None,
            )
        return created

    def _referral(
        self,
        name: str,
        code: str,
        source: str,
        programme: str,
        batch: str,
        status: str,
        enterprise: Enterprise | None,
    ) -> int:
        referral = services.referral_create(
            actor=self.admin,
            is_demo=True,
            data={
                "project_name": name,
                "talent_name": self.rng.choice(PEOPLE),
                "programme": programme,
                "batch": batch,
                "source": source,
                "pushed_on": self.today - dt.timedelta(days=self.rng.randint(10, 700)),
                "jurisdiction": self.jurisdictions[code],
            },
        )
        for step in (ReferralStatus.SELECTED, ReferralStatus.LANDED):
            if services.REFERRAL_ORDER.index(step) <= services.REFERRAL_ORDER.index(status):
                services.referral_advance(
                    actor=self.admin,
                    referral=referral,
                    status=step,
                    enterprise=enterprise if step == ReferralStatus.LANDED else None,
                )
        return 1


def _counts() -> dict[str, int]:
    return {
        "招商项目": Lead.objects.unscoped().filter(is_demo=True).count(),
        "对接记录": Docking.objects.unscoped().filter(is_demo=True).count(),
        "服务诉求": AftercareRequest.objects.unscoped().filter(is_demo=True).count(),
        "人才项目推送": TalentReferral.objects.unscoped().filter(is_demo=True).count(),
    }


@transaction.atomic
def load_demo(*, admin: User, seed: int, synthetic: int = 220) -> dict[str, int]:
    """Load the 科技招商 demo once (idempotent); returns counts by kind."""
    if not Stage.objects.exists() or not Lead.objects.unscoped().filter(is_demo=True).exists():
        loader = _Loader(admin, seed)
        leads = loader.story() + loader.synthetic(synthetic)
        loader.aftercare(leads)
        loader.referrals()
    return _counts()
