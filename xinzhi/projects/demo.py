"""Demo data of 项目推进 (示例数据): the seeds' projects and ~60 synthetic key projects.

Everything goes through the services with a replayed clock (`today=`), so milestones, reports,
audit events and the enterprise timeline are what real use would produce. Dates are relative to
the load day: the seeds' projects keep their stated facts (新民电力 GIS: 1.2亿元, 15亩, 封顶 done,
竣工 planned in August; 恒立液压 50亿元; 屹创 started; 星辰新能 in operation; 领先光学's 2023 市重点
研发计划 project in 中期检查) and stay clean — on schedule, reports filed. Synthetic projects
belong to synthetic enterprises; some are late and some miss a report, so the warnings show.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from xinzhi.accounts.models import Jurisdiction, User
from xinzhi.enterprises.models import Enterprise
from xinzhi.projects import services
from xinzhi.projects.choices import ProjectStatus
from xinzhi.projects.delays import due_month, month_start, next_month, previous_month
from xinzhi.projects.models import (
    CoordinationIssue,
    FundedProject,
    KeyProject,
    Milestone,
    MonthlyReport,
    ProjectType,
)

DAY = dt.timedelta(days=1)
# Offsets of each milestone from 开工 (days), for a typical industrial project.
OFFSETS = {
    "approval": -150,
    "land": -75,
    "start": 0,
    "topping": 270,
    "completion": 450,
    "production": 520,
    "full": 880,
}
OWNERS = (
    "区自然资源和规划局",
    "区住房和城乡建设局",
    "国网常州市武进区供电公司",
    "区发展和改革局",
    "常州市武进生态环境局",
    "区工业和信息化局",
)
PROBLEMS = (
    "施工用电增容需协调供电部门加快办理",
    "项目用地规划指标调整需尽快批复",
    "厂区外道路及雨污管网接入需协调",
    "环评批复进度需加快",
    "设备进口通关需协调",
    "施工许可证办理需提速",
)
INDUSTRIES = (
    "新能源汽车",
    "新型储能",
    "高端装备",
    "集成电路",
    "机器人",
    "新材料",
    "智能电网",
    "氢能",
)
PROGRAMMES = {
    "national": ("国家重点研发计划",),
    "provincial": (
        "江苏省重点研发计划（产业前瞻与关键核心技术）",
        "江苏省科技成果转化专项资金",
    ),
    "municipal": (
        "常州市重点研发计划（产业前瞻与关键核心技术）",
        "常州市科技支撑计划（工业）",
    ),
    "district": ("武进区科技计划（工业支撑）", "武进区产学研合作项目"),
}
PARTNERS = (
    "常州大学",
    "江苏理工学院",
    "河海大学常州校区",
    "南京航空航天大学",
    "中国科学院深圳先进技术研究院",
    "中南大学",
)


def _next_august(today: dt.date) -> dt.date:
    """The coming 31 August (预计8月竣工), at least a month away."""
    august = dt.date(today.year, 8, 31)
    return august if august - today > dt.timedelta(days=30) else dt.date(today.year + 1, 8, 31)


class _Loader:
    def __init__(self, admin: User, seed: int, today: dt.date) -> None:
        self.admin, self.today = admin, today
        self.random = random.Random(seed + 9)
        self.types = {t.code: t for t in services.types_ensure_defaults()}
        self.boards = {j.code: j for j in Jurisdiction.objects.all()}
        self.officers = {
            u.jurisdiction_id: u for u in User.objects.filter(role="officer", is_active=True)
        }

    # ------------------------------------------------------------ helpers

    def _enterprise(self, name: str) -> Enterprise | None:
        return Enterprise.objects.unscoped().filter(name=name).first()

    def _project(
        self, data: dict, planned: dict[str, dt.date], actual: dict[str, dt.date]
    ) -> KeyProject:
        board = data["jurisdiction"]
        officer = self.officers.get(board.pk)
        project = services.key_project_create(
            actor=self.admin,
            data={"officer": officer, "status": ProjectStatus.PREPARING, **data},
            planned=planned,
            is_demo=True,
        )
        milestones = {
            m.kind.code: m
            for m in Milestone.all_objects.filter(project=project).select_related("kind")
        }
        for code in sorted(actual, key=lambda c: milestones[c].kind.order):
            services.milestone_record(
                actor=self.admin,
                milestone=milestones[code],
                planned_on=planned.get(code),
                actual_on=actual[code],
                today=self.today,
            )
        return project

    def _reports(
        self,
        project: KeyProject,
        first: dt.date,
        last: dt.date,
        start_total: Decimal,
        monthly: Decimal,
        cap: Decimal,
        problems: int = 0,
    ) -> None:
        total, month = start_total, month_start(first)
        months = []
        while month <= last:
            months.append(month)
            month = next_month(month)
        for index, month in enumerate(months):
            amount = (monthly * Decimal(self.random.uniform(0.6, 1.4))).quantize(Decimal("0.01"))
            amount = max(min(amount, cap - total), Decimal("0"))
            total += amount
            issues = []
            if problems and index >= len(months) - problems:
                issues = [
                    services.IssueSpec(
                        self.random.choice(PROBLEMS),
                        self.random.choice(OWNERS),
                        next_month(month) + dt.timedelta(days=self.random.randint(20, 60)),
                    )
                ]
            filed_on = min(next_month(month) + dt.timedelta(days=2), self.today)
            services.report_submit(
                actor=self.admin,
                project=project,
                month=month,
                data={
                    "invested_month": amount,
                    "invested_total": total,
                    "progress": self._progress(project, month),
                },
                issues=issues,
                today=filed_on,
                is_demo=True,
            )

    def _progress(self, project: KeyProject, month: dt.date) -> str:
        done = [
            m.kind.name
            for m in Milestone.all_objects.filter(
                project=project, actual_on__lt=next_month(month)
            ).select_related("kind")
        ]
        stage = done[-1] if done else "前期手续办理"
        work = self.random.choice(
            (
                "桩基施工",
                "主体结构施工",
                "钢结构吊装",
                "屋面及外墙施工",
                "设备安装调试",
                "室外配套施工",
            )
        )
        return f"已完成{stage}，本月推进{work}。"

    # ------------------------------------------------------------ the seeds' projects

    def story(self) -> None:
        today = self.today
        reports_from = previous_month(month_start(today - dt.timedelta(days=330)))
        last = previous_month(today)
        # 新民电力 GIS (牛塘镇): 主体建筑已封顶, 预计8月竣工; 1.2亿元, 15亩.
        august = _next_august(today)
        start = today - dt.timedelta(days=400)
        xinmin = self._project(
            {
                "name": "智能电网GIS组合式电力设备项目",
                "project_type": self.types["industrial"],
                "enterprise": self._enterprise("江苏新民电力设备有限公司"),
                "jurisdiction": self.boards["ntz"],
                "industry": "智能电网",
                "year": start.year,
                "total_investment": Decimal("12000"),
                "land_area": Decimal("15"),
                "building_area": Decimal("16800"),
                "capacity_text": "年产1000台110~220千伏罐式无间隙避雷器、"
                "5000台35千伏屏蔽式插接避雷器",
                "capacity_value": Decimal("6000"),
                "capacity_unit": "台/年",
                "plan_year": today.year,
                "annual_plan": Decimal("8000"),
                "reports_from": reports_from,
                "summary": "区重点项目，位于牛塘镇；主体建筑已封顶，预计8月竣工。"
                "（来源：武进日报；建筑面积、年度计划与月度投资为示例）",
            },
            planned={
                "approval": start - dt.timedelta(days=150),
                "land": start - dt.timedelta(days=80),
                "start": start,
                "topping": today - dt.timedelta(days=45),
                "completion": august,
                "production": august + dt.timedelta(days=61),
                "full": august + dt.timedelta(days=365),
            },
            actual={
                "approval": start - dt.timedelta(days=152),
                "land": start - dt.timedelta(days=78),
                "start": start,
                "topping": today - dt.timedelta(days=50),
            },
        )
        self._reports(xinmin, reports_from, last, Decimal("2100"), Decimal("620"), Decimal("11000"))
        # 恒立液压: 计划总投资50亿元的滚珠丝杠、直线导轨和电动缸项目正在加快建设.
        start = today - dt.timedelta(days=300)
        hengli = self._project(
            {
                "name": "高端精密滚珠丝杠、直线导轨和电动缸项目",
                "project_type": self.types["industrial"],
                "enterprise": self._enterprise("江苏恒立液压股份有限公司"),
                "jurisdiction": self.boards["wjhtz"],
                "industry": "高端装备",
                "year": start.year,
                "total_investment": Decimal("500000"),
                "capacity_text": "高端精密滚珠丝杠、直线导轨和电动缸（工业母机核心零部件）",
                "plan_year": today.year,
                "annual_plan": Decimal("120000"),
                "reports_from": reports_from,
                "summary": "计划总投资50亿元，主要产品高端精密滚珠丝杠是工业母机的核心零部件，"
                "正在加快建设。（来源：武进日报；节点与月度投资为示例）",
            },
            planned={
                "approval": start - dt.timedelta(days=120),
                "land": start - dt.timedelta(days=60),
                "start": start,
                "topping": today + dt.timedelta(days=120),
                "completion": today + dt.timedelta(days=400),
                "production": today + dt.timedelta(days=460),
                "full": today + dt.timedelta(days=1200),
            },
            actual={
                "approval": start - dt.timedelta(days=121),
                "land": start - dt.timedelta(days=58),
                "start": start,
            },
        )
        self._reports(
            hengli, reports_from, last, Decimal("45000"), Decimal("9800"), Decimal("480000")
        )
        # 屹创新型储能 (EnerVenue, 武高新): 正式开工建设.
        start = today - dt.timedelta(days=120)
        yichuang = self._project(
            {
                "name": "屹创新型储能项目",
                "project_type": self.types["industrial"],
                "owner_name": "屹创新型储能（EnerVenue）",
                "jurisdiction": self.boards["wjhtz"],
                "industry": "新型储能",
                "year": start.year,
                "total_investment": Decimal("60000"),
                "capacity_text": "新型镍氢电池（储能用），可用于可再生能源配储、电网调峰调频",
                "plan_year": today.year,
                "annual_plan": Decimal("15000"),
                "reports_from": month_start(start),
                "summary": "由美国斯坦福大学崔屹教授创办的EnerVenue在武高新投资建设，已正式开工。"
                "（来源：武进日报；投资额与节点为示例）",
            },
            planned={
                "approval": start - dt.timedelta(days=100),
                "land": start - dt.timedelta(days=50),
                "start": start,
                "topping": today + dt.timedelta(days=150),
                "completion": today + dt.timedelta(days=330),
                "production": today + dt.timedelta(days=390),
                "full": today + dt.timedelta(days=750),
            },
            actual={
                "approval": start - dt.timedelta(days=101),
                "land": start - dt.timedelta(days=48),
                "start": start,
            },
        )
        self._reports(yichuang, start, last, Decimal("0"), Decimal("2600"), Decimal("60000"))
        # 星辰新能: 建成投运了总产能2GW的全钒液流储能电池智造基地.
        start = today - dt.timedelta(days=800)
        self._project(
            {
                "name": "全钒液流储能电池智造基地",
                "project_type": self.types["industrial"],
                "enterprise": self._enterprise("星辰新能（常州）储能科技有限公司"),
                "jurisdiction": self.boards["wjhtz"],
                "industry": "新型储能",
                "year": start.year,
                "total_investment": Decimal("50000"),
                "capacity_text": "总产能2GW全钒液流储能电池",
                "capacity_value": Decimal("2"),
                "capacity_unit": "GW",
                "reports_from": month_start(start),
                "summary": "依托中南大学，建成投运总产能2GW的全钒液流储能电池智造基地。"
                "（来源：武进日报；投资额与节点为示例）",
            },
            planned={
                "approval": start - dt.timedelta(days=120),
                "land": start - dt.timedelta(days=60),
                "start": start,
                "topping": start + dt.timedelta(days=240),
                "completion": start + dt.timedelta(days=420),
                "production": start + dt.timedelta(days=480),
                "full": today + dt.timedelta(days=200),
            },
            actual={
                "approval": start - dt.timedelta(days=118),
                "land": start - dt.timedelta(days=61),
                "start": start,
                "topping": start + dt.timedelta(days=236),
                "completion": start + dt.timedelta(days=410),
                "production": start + dt.timedelta(days=470),
            },
        )
        # 领先光学: 2023年常州市重点研发计划（产业前瞻与关键核心技术）立项, now in 中期检查.
        lens = self._enterprise("领先光学技术（江苏）有限公司")
        if lens is not None:
            approved = min(dt.date(2023, 9, 15), today - dt.timedelta(days=400))
            funded = services.funded_create(
                actor=self.admin,
                data={
                    "name": "新型无掩膜直写微米光刻系统关键技术研发",
                    "level": "municipal",
                    "programme": "常州市重点研发计划（产业前瞻与关键核心技术）",
                    "year": 2023,
                    "enterprise": lens,
                    "partners": "常州大学",
                    "budget_total": Decimal("600"),
                    "funding_grant": Decimal("100"),
                    "funding_self": Decimal("500"),
                    "funds_disbursed": Decimal("50"),
                    "starts_on": approved,
                    "ends_on": max(dt.date(2026, 6, 30), today + dt.timedelta(days=200)),
                    "approved_on": approved,
                    "officer": self.officers.get(lens.jurisdiction_id),
                },
                is_demo=True,
                today=today,
            )
            services.funded_midterm(
                actor=self.admin,
                project=funded,
                on=today - dt.timedelta(days=40),
                result="passed",
                note="中期检查通过，无掩膜直写光刻光源取得重大突破（示例意见）",
                today=today,
            )

    # ------------------------------------------------------------ synthetic

    def synthetic(self, count: int, real_names: frozenset[str]) -> None:
        rand, today = self.random, self.today
        pool = list(
            Enterprise.objects.unscoped()
            .filter(is_demo=True)
            .exclude(name__in=real_names)
            .select_related("jurisdiction")
            .order_by("id")[:600]
        )
        if not pool:
            return
        late_left, missing_left = 9, 8
        for index in range(count):
            owner = pool[rand.randrange(len(pool))]
            industry = rand.choice(INDUSTRIES)
            project_type = self.types["expansion" if index % 4 == 3 else "industrial"]
            codes = list(project_type.milestones.order_by("order").values_list("code", flat=True))
            start = today - dt.timedelta(days=rand.randint(30, 900))
            planned = {
                code: start + dt.timedelta(days=OFFSETS[code] + rand.randint(-20, 20))
                for code in codes
            }
            planned["start"] = start
            late = late_left > 0 and index % 6 == 1
            actual: dict[str, dt.date] = {}
            previous = None
            past = [c for c in codes if planned[c] <= today - dt.timedelta(days=5)]
            for code in past:
                if late and code == past[-1] and len(past) > 1:
                    break  # the latest due milestone is still open: 红灯
                on = planned[code] + dt.timedelta(days=rand.randint(-10, 15))
                on = min(max(on, previous or on), today)
                actual[code] = previous = on
            if late:
                late_left -= 1
            total = Decimal(rand.choice((5000, 8000, 12000, 20000, 30000, 50000, 80000, 150000)))
            reports_from = max(
                month_start(start), previous_month(month_start(today - dt.timedelta(days=330)))
            )
            project = self._project(
                {
                    "name": f"{owner.name.removesuffix('有限公司').removesuffix('股份')}{industry}"
                    f"{'技改扩能' if project_type.code == 'expansion' else '产业化'}项目",
                    "project_type": project_type,
                    "enterprise": owner,
                    "jurisdiction": owner.jurisdiction,
                    "industry": industry,
                    "year": start.year,
                    "total_investment": total,
                    "land_area": Decimal(rand.choice((0, 12, 20, 35, 50, 80))) or None,
                    "plan_year": today.year,
                    "annual_plan": (total * Decimal(rand.uniform(0.2, 0.45))).quantize(
                        Decimal("1")
                    ),
                    "reports_from": reports_from,
                },
                planned=planned,
                actual=actual,
            )
            project.refresh_from_db()
            if project.status == ProjectStatus.OPERATING:
                continue
            last = previous_month(today)
            if missing_left > 0 and not late and index % 5 == 2:
                last = previous_month(due_month(today, 5))  # the due month is not filed: 黄灯
                missing_left -= 1
            months = max((today - start).days / 30, 6)
            self._reports(
                project,
                reports_from,
                last,
                (total * Decimal("0.1")).quantize(Decimal("0.01")),
                (total / Decimal(months + 12)).quantize(Decimal("0.01")),
                total,
                problems=1 if index % 3 == 0 else 0,
            )
        for issue in CoordinationIssue.all_objects.filter(is_demo=True).order_by("id")[::2]:
            closed = min(issue.raised_on + dt.timedelta(days=rand.randint(5, 40)), today)
            services.issue_close(
                actor=self.admin,
                issue=issue,
                resolution="已协调相关部门办理完毕（示例）",
                on=closed,
                today=today,
            )

    def funded(self, count: int, real_names: frozenset[str]) -> None:
        rand, today = self.random, self.today
        pool = list(
            Enterprise.objects.unscoped()
            .filter(is_demo=True)
            .exclude(name__in=real_names)
            .order_by("id")[:400]
        )
        if not pool:
            return
        levels = ["district"] * 10 + ["municipal"] * 7 + ["provincial"] * 4 + ["national"]
        for _ in range(count):
            owner = pool[rand.randrange(len(pool))]
            level = rand.choice(levels)
            year = today.year - rand.randint(0, 3)
            approved = min(
                dt.date(year, rand.randint(4, 10), rand.randint(1, 28)), today - DAY * 10
            )
            grant = Decimal(
                {"district": 20, "municipal": 80, "provincial": 200, "national": 600}[level]
                * rand.choice((1, 1.5, 2))
            )
            own = (grant * Decimal(rand.choice((2, 3, 4)))).quantize(Decimal("1"))
            ends = approved + dt.timedelta(days=rand.choice((730, 1095)))
            project = services.funded_create(
                actor=self.admin,
                data={
                    "name": rand.choice(("高性能", "智能化", "新型", "高可靠"))
                    + rand.choice(INDUSTRIES)
                    + rand.choice(("关键技术研发", "核心部件研制", "工艺开发及产业化")),
                    "level": level,
                    "programme": rand.choice(PROGRAMMES[level]),
                    "year": approved.year,
                    "enterprise": owner,
                    "partners": "\n".join(rand.sample(PARTNERS, rand.randint(0, 2))),
                    "budget_total": grant + own,
                    "funding_grant": grant,
                    "funding_self": own,
                    "funds_disbursed": (grant / 2).quantize(Decimal("0.01")),
                    "starts_on": approved,
                    "ends_on": ends,
                    "approved_on": approved,
                },
                is_demo=True,
                today=today,
            )
            midterm = approved + (ends - approved) / 2
            if midterm < today:
                project = services.funded_midterm(
                    actor=self.admin, project=project, on=midterm, result="passed", today=today
                )
            if ends + dt.timedelta(days=60) < today:
                result = rand.choice(("passed", "passed", "passed", "postponed"))
                services.funded_accept(
                    actor=self.admin,
                    project=project,
                    on=ends + dt.timedelta(days=45),
                    result=result,
                    note="" if result == "passed" else "部分考核指标尚未完成，同意延期验收（示例）",
                    today=today,
                )


def demo_counts() -> dict[str, int]:
    """What the 项目推进 demo holds (for the seed command's summary)."""
    return {
        "区重点项目": KeyProject.objects.unscoped().filter(is_demo=True).count(),
        "项目月报": MonthlyReport.objects.unscoped().filter(is_demo=True).count(),
        "科技计划项目": FundedProject.objects.unscoped().filter(is_demo=True).count(),
    }


@transaction.atomic
def load_demo(
    *,
    admin: User,
    seed: int,
    today: dt.date | None = None,
    real_names: frozenset[str] = frozenset(),
    synthetic: int = 60,
    funded: int = 40,
) -> dict[str, int]:
    """Load the 项目推进 demo once (idempotent), dated relative to `today`; counts by kind."""
    if (
        not ProjectType.objects.exists()
        or not KeyProject.objects.unscoped().filter(is_demo=True).exists()
    ):
        loader = _Loader(admin, seed, today or timezone.localdate())
        loader.story()
        loader.synthetic(synthetic, real_names)
        loader.funded(funded, real_names)
    return demo_counts()
