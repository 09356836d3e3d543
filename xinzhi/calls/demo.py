"""Demo data of the call engine (项目申报与评审示例数据).

Dates are relative to the load day (`today`), so the demo is alive whenever it is loaded:

* 区科技项目认定（第一批）: opened ~5 months ago, results published 12 days ago: 203 of
  236 applications 已认定 (the seeds: "已有203个项目通过区科技项目认定"), incl. 常州优磁科技
  and 领先光学.
* 区科技项目认定（第二批）: closed five weeks ago, 120 applications at every status, in 专家评审;
  the demo `expert` has assignments, some scored and some open; a few still lack reviewers.
* 科普和学术项目: the four categories of the seeds (软科学 配套资助 ≤ 3000元), open for
  applications until 30 days after the load day (some submitted, some drafts).

Each name carries the year the call opened. Every row is flagged `is_demo`. Runs through the
services (audited) with the deadline checks relaxed, since the earlier steps lie in the past.
Idempotent: an existing demo call of each kind is kept.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from xinzhi.accounts.choices import Role
from xinzhi.accounts.models import User
from xinzhi.calls import services
from xinzhi.calls.choices import ApplicationStatus, Stage
from xinzhi.calls.models import (
    Application,
    Assignment,
    Call,
    Category,
    Criterion,
    ReviewerRelation,
    Score,
)
from xinzhi.calls.services import CategorySpec
from xinzhi.enterprises.models import Enterprise

# Name endings; each call's name starts with "<year the call opened>年度".
FIRST = "区科技项目认定（第一批）"
SECOND = "区科技项目认定（第二批）"
SCIENCE = "科普和学术项目"
SCIENCE_OPEN_DAYS = 30  # the open call's deadline, days after the load day
FIRST_PUBLISHED_DAYS_AGO = 12
STORY_WINNERS = ("常州优磁科技有限公司", "领先光学技术（江苏）有限公司")
EMPLOYERS = (
    "常州大学",
    "河海大学常州校区",
    "江苏理工学院",
    "常州工学院",
    "南京大学未来技术创新研究院",
    "南京医科大学常州校区",
    "长三角（常州）创新中心",
    "中国科学院常州先进制造技术研究所",
    "常州市科学技术情报研究所",
    "常州市科协",
    "江苏省产业技术研究院",
    "上海交通大学常州研究院",
)
FIELDS = (
    "先进制造与自动化",
    "新能源与节能",
    "电子信息",
    "新材料",
    "生物与新医药",
    "资源与环境",
    "高技术服务",
    "航空航天",
)
PROJECT_SUFFIXES = ("关键技术研发及产业化", "新产品开发项目", "智能化升级项目", "中试验证项目")
SCIENCE_FIELDS = ("科普", "科技传播", "学术交流", "软科学", "科技政策")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = ("建国", "海燕", "志强", "晓明", "丽华", "文斌", "秀英", "国平", "立新", "卫东", "敏", "静")


def _at(today: dt.date, days: int, hour: int = 9) -> dt.datetime:
    """`days` after the load day (before it if negative), at `hour` local time."""
    return timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour)))


def _named(ending: str, opens: dt.datetime) -> str:
    return f"{timezone.localtime(opens).year}年度{ending}"


def experts_create(rng: random.Random, count: int = 48) -> list[User]:
    """A pool of synthetic experts (评审专家库) with employers and fields; no usable password."""
    experts = []
    for i in range(1, count + 1):
        username = f"expert{i:03d}"
        user = User.objects.filter(username=username).first()
        if user is None:
            fields = rng.sample(FIELDS, 2) if i % 4 else [rng.choice(SCIENCE_FIELDS), "软科学"]
            user = User(
                username=username,
                role=Role.REVIEWER,
                full_name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                employer=EMPLOYERS[i % len(EMPLOYERS)],
                expertise="、".join(dict.fromkeys(fields)),
            )
            user.set_unusable_password()
            user.save()
        experts.append(user)
    return experts


def _applicants(rng: random.Random, count: int, real_names: frozenset[str]) -> list[Enterprise]:
    story = list(Enterprise.objects.unscoped().filter(is_demo=True, name__in=STORY_WINNERS))
    # Other seed-named (real) firms are not drawn: a draw may be withdrawn, fail or be rejected.
    rest = list(
        Enterprise.objects.unscoped()
        .filter(is_demo=True)
        .exclude(name__in=real_names)
        .order_by("id")
    )
    rng.shuffle(rest)
    return story + rest[: count - len(story)]


def _panel(expert: User) -> list[User]:
    """The synthetic pool; the demo `expert` gets only the assignments made by hand."""
    return list(User.objects.filter(role=Role.REVIEWER, username__startswith="expert0"))


def _marks(rng: random.Random, base: float) -> list[Decimal]:
    return [Decimal(max(30, min(100, round(rng.gauss(base, 7))))) for _ in range(4)]


def _score(rng: random.Random, assignment: Assignment, criteria: list[Criterion], base: float):
    marks = _marks(rng, base)
    return services.score_submit(
        actor=assignment.reviewer,
        assignment=assignment,
        items={c.pk: m for c, m in zip(criteria, marks, strict=False)},
        comment=rng.choice(
            (
                "团队结构合理，技术路线清晰。",
                "产业化前景较好，建议关注市场验证。",
                "与武进产业链匹配度高。",
                "成长性有待进一步观察。",
            )
        ),
        is_demo=True,
    )


def _certification_call(admin: User, ending: str, opens: dt.datetime, closes: dt.datetime) -> Call:
    year = timezone.localtime(opens).year
    name = _named(ending, opens)
    return services.call_create(
        actor=admin,
        is_demo=True,
        data={
            "name": name,
            "kind": "certification",
            "year": year,
            "description": "面向科技招商落地项目和区内科技型企业，从成长性、产业匹配度、"
            "团队匹配度、技术先进性四方面评审认定。（示例数据）",
            "opens_at": opens,
            "closes_at": closes,
            "reviewers_per_application": 3,
            "aggregation": "trimmed_mean" if "第一批" in name else "mean",
            "certificate_prefix": f"WJRD{year}-" if "第一批" in name else f"WJRD{year}B-",
        },
        categories=[
            CategorySpec(
                "区科技项目认定",
                required_fields=["growth", "industry_fit", "team", "technology"],
                description="科技招商落地项目或区内科技型企业的科技项目",
            )
        ],
    )


def _set_stage(call: Call, stage: str, **fields) -> Call:  # noqa: ANN003
    Call.objects.filter(pk=call.pk).update(stage=stage, **fields)
    call.refresh_from_db()
    return call


def _cert_application(
    admin: User, call: Call, enterprise: Enterprise, rng: random.Random, submit: bool = True
) -> Application:
    category = call.categories.get()
    field = enterprise.hightech_field or rng.choice(FIELDS)
    application = services.application_create(
        actor=admin,
        call=call,
        category=category,
        enterprise=enterprise,
        is_demo=True,
        check_deadline=False,
        data={
            "title": f"{enterprise.name.split('（')[0].replace('有限公司', '')}"
            f"{rng.choice(PROJECT_SUFFIXES)}",
            "summary": f"{enterprise.summary[:120] or '示例项目简介'}",
            "field": field,
            "extra": {
                "growth": "近三年营业收入年均增长30%以上，已完成新一轮融资。（示例）",
                "industry_fit": "属武进新能源汽车、智能制造等重点产业链环节。（示例）",
                "team": "核心团队10人，其中博士3人，兼具技术与市场经验。（示例）",
                "technology": "拥有发明专利与自主核心技术，达到国内先进水平。（示例）",
            },
        },
    )
    if submit:
        application = services.application_submit(
            actor=admin, application=application, check_deadline=False
        )
    return application


def _first_batch(
    admin: User, expert: User, rng: random.Random, today: dt.date, real_names: frozenset[str]
) -> int:
    call = _certification_call(admin, FIRST, _at(today, -160), _at(today, -110, 17))
    call = _set_stage(call, Stage.SUBMISSION)
    drawn = _applicants(rng, 236, real_names)
    applications = [_cert_application(admin, call, e, rng) for e in drawn]
    big = len(applications) > 40  # the full demo; small test runs keep every application active
    withdrawn = applications[-8:] if big else []
    Application.objects.unscoped().filter(pk__in=[a.pk for a in withdrawn]).update(
        status=ApplicationStatus.WITHDRAWN
    )
    call = _set_stage(call, Stage.FORMAL_REVIEW)
    for application in applications[-12:-8] if big else []:
        services.application_formal_review(
            actor=admin, application=application, passed=False, note="缺少近三年财务审计报告。"
        )
    call = _set_stage(call, Stage.EXPERT_REVIEW)
    for application in applications[2:6]:
        services.assignment_create(actor=admin, application=application, reviewer=expert)
    services.reviewers_draw(actor=admin, call=call, rng=rng, pool=_panel(expert), is_demo=True)
    criteria = list(call.criteria.all())
    base = {a.pk: (92.0 if i < 2 else rng.uniform(62, 88)) for i, a in enumerate(applications)}
    for assignment in (
        Assignment.objects.unscoped()
        .filter(application__call=call)
        .select_related("reviewer", "application")
    ):
        _score(rng, assignment, criteria, base[assignment.application_id])
    ranked = list(
        Application.objects.unscoped()
        .filter(call=call, status=ApplicationStatus.IN_REVIEW)
        .order_by("-aggregate_score", "number")
    )
    quota = min(203, round(len(ranked) * 203 / 224))  # the seeds: 203 passed
    story = [a.pk for a in applications[:2]]
    winners = set(story + [a.pk for a in ranked if a.pk not in story][: max(quota - 2, 0)])
    for application in ranked:
        services.application_decide(
            actor=admin,
            application=application,
            approved=application.pk in winners,
            note="" if application.pk in winners else "综合得分未进入认定名额。",
        )
    call = services.call_publish(actor=admin, call=call)
    call = services.call_advance(actor=admin, call=call)
    _backdate(
        call,
        submitted=_at(today, -115),
        scored=_at(today, -60),
        published=_at(today, -FIRST_PUBLISHED_DAYS_AGO, 10),
    )
    return len(applications)


def _backdate(
    call: Call, *, submitted: dt.datetime, scored: dt.datetime, published: dt.datetime | None = None
) -> None:
    """Demo dates before the load day (a system job, not a change of any decision)."""
    Application.objects.unscoped().filter(call=call, submitted_at__isnull=False).update(
        submitted_at=submitted
    )
    Application.objects.unscoped().filter(call=call, decided_at__isnull=False).update(
        decided_at=published
    )
    # By id: an UPDATE … IN (a three-table join) is left to the planner's statistics.
    scores = Score.objects.unscoped().filter(assignment__application__call=call)
    Score.objects.unscoped().filter(pk__in=list(scores.values_list("pk", flat=True))).update(
        submitted_at=scored
    )
    if published:
        Call.objects.filter(pk=call.pk).update(results_published_at=published)


def _second_batch(
    admin: User, expert: User, rng: random.Random, today: dt.date, real_names: frozenset[str]
) -> int:
    call = _certification_call(admin, SECOND, _at(today, -75), _at(today, -35, 17))
    call = _set_stage(call, Stage.SUBMISSION)
    taken = set(
        Application.objects.unscoped()
        .filter(call__is_demo=True, call__name__endswith=FIRST, status=ApplicationStatus.APPROVED)
        .values_list("enterprise_id", flat=True)
    )
    pool = [e for e in _applicants(rng, 600, real_names) if e.pk not in taken][:120]
    applications = [
        _cert_application(admin, call, e, rng, submit=i % 20 != 0) for i, e in enumerate(pool)
    ]
    # The 招商 projects' applications (the seeds' projects first) are not withdrawn or failed.
    withdrawn = [a for i, a in enumerate(applications) if i % 20 == 1]
    applications += _lead_applications(admin, call, rng)
    Application.objects.unscoped().filter(pk__in=[a.pk for a in withdrawn]).update(
        status=ApplicationStatus.WITHDRAWN
    )
    call = _set_stage(call, Stage.FORMAL_REVIEW)
    failed = [a for i, a in enumerate(applications) if i % 20 == 2 and not a.lead_id]
    for application in failed:
        services.application_formal_review(
            actor=admin,
            application=application,
            passed=False,
            note="申报书缺少技术先进性说明附件。",
        )
    skip = {a.pk for a in withdrawn + failed}
    active = [a for a in applications if a.status != ApplicationStatus.DRAFT and a.pk not in skip]
    call = _set_stage(call, Stage.EXPERT_REVIEW)
    mine = active[:6]
    for application in mine:
        services.assignment_create(actor=admin, application=application, reviewer=expert)
    # A declared relation and a company expert, so the draw's 回避记录 shows each kind.
    if len(active) > 8:
        target = active[6]
        conflicted = next(
            (e for e in _panel(expert) if services.expertise_matches(e, target)), None
        )
        if conflicted and target.enterprise_id:
            ReviewerRelation.objects.unscoped().get_or_create(
                reviewer=conflicted,
                enterprise_id=target.enterprise_id,
                defaults={"relation": "曾任该企业技术顾问", "is_demo": True},
            )
        User.objects.filter(username="expert048").update(
            employer=active[7].applicant_name, expertise=active[7].field
        )
    waiting = active[-10:] if len(active) > 30 else []  # still waiting for reviewers
    draw_for = [a.pk for a in active if a not in waiting]
    services.reviewers_draw(
        actor=admin, call=call, rng=rng, only=draw_for, pool=_panel(expert), is_demo=True
    )
    criteria = list(call.criteria.all())
    scored_mine = {a.pk for a in mine[:3]}
    for index, assignment in enumerate(
        Assignment.objects.unscoped()
        .filter(application__call=call)
        .select_related("reviewer", "application")
        .order_by("application__number", "id")
    ):
        if assignment.reviewer_id == expert.pk:
            if assignment.application_id in scored_mine:
                _score(rng, assignment, criteria, rng.uniform(65, 90))
        elif index % 5 != 0:
            _score(rng, assignment, criteria, rng.uniform(60, 92))
    _backdate(call, submitted=_at(today, -40), scored=_at(today, -8))
    return len(applications)


def _lead_applications(admin: User, call: Call, rng: random.Random) -> list[Application]:
    """Applications that come from 招商 projects (the attraction demo's leads)."""
    try:
        from xinzhi.attraction.models import Lead
    except ImportError:  # the attraction app is not installed
        return []
    category = call.categories.get()
    created = []
    for lead in Lead.objects.unscoped().filter(is_demo=True).order_by("id")[:12]:
        application = services.application_create(
            actor=admin,
            call=call,
            category=category,
            lead=lead,
            is_demo=True,
            check_deadline=False,
            data={
                "title": f"{lead.name}",
                "summary": (lead.summary or "科技招商项目（示例）")[:300],
                "field": rng.choice(FIELDS),
                "extra": {
                    "growth": "落地后一年内实现首台（套）销售。（示例）",
                    "industry_fit": f"属{lead.segment or '重点产业链'}环节。（示例）",
                    "team": lead.team_background[:200] or "团队来自长三角高校院所。（示例）",
                    "technology": lead.tech_strength[:200] or "核心技术具有自主知识产权。（示例）",
                },
            },
        )
        created.append(
            services.application_submit(actor=admin, application=application, check_deadline=False)
        )
    return created


SCIENCE_CATEGORIES = (
    CategorySpec(
        "科普阵地建设项目",
        Decimal(50000),
        ["venue", "venue_area", "audience"],
        "支持开放性、群众性科普活动场所和科普设施建设；重点支持青少年科普阵地建设、科普教育基地"
        "开放共享、争创科普阵地品牌。",
    ),
    CategorySpec(
        "科学普及活动开展",
        Decimal(20000),
        ["audience", "activity_date", "participants"],
        "面向青少年、农民、产业工人、老年人、领导干部和公务员的社会化科学传播活动；重点支持全国"
        "科普日、科普宣传周、全国科技工作者日等节点的全区性重大或特色科普活动。",
    ),
    CategorySpec(
        "学术交流活动",
        Decimal(10000),
        ["organiser", "activity_date"],
        "聚焦现代化强区、新能源之都、“两湖”创新区建设，支持学会、企事业科协、科普（教育）基地、"
        "海智工作站开展学术交流。",
    ),
    CategorySpec(
        "软科学课题研究",
        Decimal(3000),
        ["topic", "municipal_no", "completion_date"],
        "参与常州市软科学课题申报并在区科协备案、获得立项并通过结项验收的课题，区科协择优配套资助"
        "最高不超过3000元。",
    ),
)


def _science_call(admin: User, rng: random.Random, today: dt.date) -> int:
    opens = _at(today, -10)
    call = services.call_create(
        actor=admin,
        is_demo=True,
        data={
            "name": _named(SCIENCE, opens),
            "kind": "science_academic",
            "year": timezone.localtime(opens).year,
            "description": "类别依据《武进区2024年度科普和学术项目申报指南》"
            "（“武进科普”公众号发布），分科普阵地建设项目、科学普及活动开展、学术交流活动和软科学课题研究四大类。"
            "软科学配套资助上限3000元来自报道，其余类别上限与申报时间为示例。",
            "opens_at": opens,
            "closes_at": _at(today, SCIENCE_OPEN_DAYS, 17),
            "reviewers_per_application": 3,
            "aggregation": "mean",
        },
        categories=SCIENCE_CATEGORIES,
    )
    call = _set_stage(call, Stage.SUBMISSION)
    categories = list(Category.objects.filter(call=call))
    extra_by_key = {
        "venue": "湖塘镇青少年科技活动中心",
        "venue_area": 600,
        "audience": "青少年",
        "activity_date": (today + dt.timedelta(days=60)).isoformat(),
        "participants": 1500,
        "organiser": "武进区机械工程学会",
        "topic": "科技招商赋能新质生产力的武进路径研究",
        "municipal_no": f"CZRKX{today.year}-0{{}}",
        "completion_date": (today + dt.timedelta(days=120)).isoformat(),
    }
    titles = {
        "科普阵地建设项目": ("青少年科普馆提升", "科普教育基地开放共享", "社区科普e站建设"),
        "科学普及活动开展": ("全国科普日武进主场活动", "科普进企业系列讲座", "乡村振兴科普行"),
        "学术交流活动": ("新能源汽车产业学术论坛", "海智工作站学术沙龙", "智能制造青年学者论坛"),
        "软科学课题研究": ("科技招商机制研究", "科创企业森林培育路径研究", "两湖创新区政策研究"),
    }
    applicants = list(Enterprise.objects.unscoped().filter(is_demo=True).order_by("-id")[:48])
    count = 0
    for index, enterprise in enumerate(applicants):
        category = categories[index % 4]
        cap = category.cap_yuan
        extra = {
            k: (v.format(index) if isinstance(v, str) else v)
            for k, v in extra_by_key.items()
            if k in category.required_fields
        }
        application = services.application_create(
            actor=admin,
            call=call,
            category=category,
            enterprise=enterprise,
            is_demo=True,
            check_deadline=False,
            data={
                "title": f"{rng.choice(titles[category.name])}（{enterprise.name[:6]}）",
                "summary": "示例申报内容。",
                "field": {"软科学课题研究": "软科学", "学术交流活动": "学术交流"}.get(
                    category.name, "科普"
                ),
                "requested_amount_yuan": cap if index % 3 else (cap * Decimal("0.6")).quantize(1),
                "extra": extra,
            },
        )
        if index % 9 != 8:
            services.application_submit(actor=admin, application=application, check_deadline=False)
        count += 1
    _backdate(call, submitted=_at(today, -3), scored=_at(today, -3))
    return count


@transaction.atomic
def load_demo(
    *,
    admin: User,
    seed: int,
    today: dt.date | None = None,
    real_names: frozenset[str] = frozenset(),
) -> dict[str, int]:
    """Load the call engine's demo dated from `today`; a call that already exists is kept.

    `real_names` (the seed-named, real firms) are never drawn for applications that can fail.
    """
    today = today or timezone.localdate()
    rng = random.Random(seed + 5)
    experts = experts_create(rng)
    expert = User.objects.filter(username="expert").first() or experts[0]
    existing = Call.objects.filter(is_demo=True)
    if not existing.filter(name__endswith=FIRST).exists():
        _first_batch(admin, expert, rng, today, real_names)
    if not existing.filter(name__endswith=SECOND).exists():
        _second_batch(admin, expert, rng, today, real_names)
    if not existing.filter(name__endswith=SCIENCE).exists():
        _science_call(admin, rng, today)
    return {"评审专家": len(experts), **demo_counts()}


def demo_counts() -> dict[str, int]:
    """What the call engine's demo holds (for the seed command's summary)."""
    return {
        "申报通知": Call.objects.filter(is_demo=True).count(),
        "项目申报": Application.objects.unscoped().filter(is_demo=True).count(),
        "专家评分": Score.objects.unscoped().filter(is_demo=True).count(),
    }
