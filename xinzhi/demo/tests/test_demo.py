import itertools

from django.db.models import Q
from django.utils import timezone
from stdnum.cn import uscc

from xinzhi.accounts.models import User
from xinzhi.demo.services import demo_load
from xinzhi.demo.story import STORY
from xinzhi.enterprises.models import AnnualFigures, Enterprise, TitleHeld


def test_demo_is_complete_deterministic_and_idempotent(db):
    first = demo_load(synthetic=60)
    assert first["jurisdictions"] == 15
    assert first["story"] == len(STORY)
    assert first["synthetic"] == 60
    enterprises = Enterprise.objects.unscoped()
    # Landed demo leads (attraction) add their own enterprises on top of story + synthetic.
    assert enterprises.filter(credit_code__startswith="91320412").count() >= len(STORY) + 60
    assert all(uscc.is_valid(code) for code in enterprises.values_list("credit_code", flat=True))
    assert not enterprises.filter(is_demo=False).exists()
    # Every synthetic enterprise has at least three years of figures unless founded recently.
    for enterprise in enterprises.filter(registered_on__year__lte=2020):
        assert AnnualFigures.objects.unscoped().filter(enterprise=enterprise).count() >= 3
    codes = sorted(enterprises.values_list("credit_code", flat=True))

    total = enterprises.count()
    second = demo_load(synthetic=60)
    assert second["story"] == 0 and second["synthetic"] == 0
    assert Enterprise.objects.unscoped().count() == total
    assert sorted(Enterprise.objects.unscoped().values_list("credit_code", flat=True)) == codes

    logins = {
        u.username: (u.role, u.jurisdiction.name if u.jurisdiction else None)
        for u in User.objects.all()
    }
    assert logins["gxq"] == ("officer", "武进国家高新技术产业开发区")
    assert logins["xth"] == ("officer", "常州西太湖科技产业园")
    assert logins["admin"][0] == "admin" and logins["leader"][0] == "leader"
    assert logins["expert"][0] == "reviewer"
    assert User.objects.get(username="gxq").check_password("xinzhi-demo")


def test_story_enterprises_carry_the_articles_facts(db):
    demo_load(synthetic=0)
    youci = Enterprise.objects.unscoped().get(name="常州优磁科技有限公司")
    assert youci.jurisdiction.name == "湖塘科技产业园"
    titles = dict(
        TitleHeld.objects.unscoped()
        .filter(enterprise=youci)
        .values_list("title", "valid_from__year")
    )
    assert titles["talent"] == 2021
    assert titles["seed_unicorn"] == 2023
    revenue = dict(
        AnnualFigures.objects.unscoped().filter(enterprise=youci).values_list("year", "revenue")
    )
    assert revenue[2023] == 3500 and revenue[2024] == 7000
    assert "2800万元融资" in youci.summary


def test_seed_demo_command_prints_a_summary(db, capsys):
    from django.core.management import call_command

    call_command("seed_demo", synthetic=5)
    out = capsys.readouterr().out
    assert "示例数据就绪：板块 15 个，演示账号 5 个" in out
    assert "新增合成企业 5 家" in out


# The real companies the seed articles name (and the seeds' landed projects' enterprises).
SEED_NAMED_ENTERPRISES = (
    "常州优磁科技有限公司",
    "领先光学技术（江苏）有限公司",
    "奕威汽车电子科技（常州）有限公司",
    "国信新能源科技（常州）有限公司",
    "常州赛璞睿生科技有限公司",
    "江苏理想汽车智能科技有限公司",
    "江苏恒立液压股份有限公司",
    "江苏君华特种高分子材料股份有限公司",
    "江苏新民电力设备有限公司",
    "常州锋弛新能源科技有限公司",
    "景铂汽车零部件制造（常州）有限公司",
    "常州纵慧芯光半导体科技有限公司",
    "常州承芯半导体有限公司",
    "星辰新能（常州）储能科技有限公司",
    "兴燃科技（常州）有限公司",
    "毫厘科技（常州）有限公司",
    "常州市新誉集团有限公司",
    "万帮数字能源股份有限公司",
    "常州优美墅建筑科技有限公司",
    "常州孪生元境数字科技有限公司",
)


def test_seed_named_enterprises_carry_no_adverse_flag_or_incident(db):
    from xinzhi.attraction.models import Lead
    from xinzhi.calls.models import Application
    from xinzhi.cultivation.models import QualificationProfile

    demo_load(synthetic=60)
    named = Enterprise.objects.unscoped().filter(name__in=SEED_NAMED_ENTERPRISES)
    assert named.count() == len(SEED_NAMED_ENTERPRISES)
    profiles = QualificationProfile.objects.unscoped().filter(enterprise__in=named)
    assert profiles.count() == len(SEED_NAMED_ENTERPRISES)
    flagged = profiles.filter(
        Q(major_incident=True) | Q(serious_dishonesty=True) | Q(prohibited_industry=True)
    ).values_list("enterprise__name", flat=True)
    assert list(flagged) == []
    # No failed, withdrawn or rejected application, no lost 招商 project for a real firm.
    bad = ("withdrawn", "formal_failed", "rejected")
    applications = Application.objects.unscoped().filter(
        Q(enterprise__in=named) | Q(lead__enterprise__in=named) | Q(lead__name__in=SEED_LEADS)
    )
    assert applications.filter(status="approved").count() == 2  # 优磁 and 领先光学, 2024 第一批
    assert list(applications.filter(status__in=bad).values_list("title", flat=True)) == []
    assert not Lead.objects.unscoped().filter(enterprise__in=named, status="dropped").exists()
    # Plausible figures: a profit every year, ten staff or more, staff not shrinking as sales grow.
    for enterprise in named.filter(name__in=[s.name for s in STORY]):
        rows = list(
            AnnualFigures.objects.unscoped()
            .filter(enterprise=enterprise)
            .order_by("year")
            .values_list("revenue", "employees", "net_profit")
        )
        assert rows, enterprise.name
        assert all(profit > 0 and staff >= 10 for _, staff, profit in rows), enterprise.name
        for (revenue, staff, _), (later, later_staff, _) in itertools.pairwise(rows):
            assert later < revenue or later_staff >= staff * 0.9, enterprise.name


SEED_LEADS = (
    "新型无掩膜直写微米光刻系统项目",
    "高功率·大能量·超快固体激光器项目",
    "智能驾驶控制器ADU研发、生产和销售项目",
    "景铂汽车零部件制造项目",
    "优美墅混凝土3D打印及PC-BOX模盒房屋项目",
    "基于央行数字货币人民币下的数字孪生元宇宙项目",
    "基于3D打印技术仿生智能材料的射频消融手术模拟器产业化项目",
    "常州氢湾国际创新社区项目",
    "高磁通动力系统研发与制造项目",
)


def test_seed_demo_rerun_says_the_demo_is_already_loaded(db, capsys):
    from django.core.management import call_command

    from xinzhi.cultivation.models import Evaluation, QualificationProfile

    call_command("seed_demo", synthetic=5)
    first = capsys.readouterr().out
    assert "新增报道企业 18 家，新增合成企业 5 家" in first
    total = Enterprise.objects.unscoped().count()
    assessed = (
        QualificationProfile.objects.unscoped().count(),
        Evaluation.objects.unscoped().count(),
    )
    assert assessed[0] == total  # every enterprise, the landed ones included

    call_command("seed_demo", synthetic=5)
    second = capsys.readouterr().out
    assert "新增" not in second
    today = timezone.localdate()
    # 招商项目: the attraction demo's 229 + 14 pushed by the 技术转移中心 + 1 competition entry.
    assert second.startswith(
        f"示例数据已于 {today:%Y-%m-%d} 加载，本次未重复创建"
        "（与日期相关的示例数据以加载当日为准）。"
        f"现有：板块 15，演示账号 5，报道企业 18，其他示例企业 {total - 18}，招商项目 247，"
    )
    assert Enterprise.objects.unscoped().count() == total
    assert (
        QualificationProfile.objects.unscoped().count(),
        Evaluation.objects.unscoped().count(),
    ) == assessed
