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

    logins = {u.username: (u.role, u.jurisdiction.name if u.jurisdiction else None)
              for u in User.objects.all()}
    assert logins["gxq"] == ("officer", "武进国家高新技术产业开发区")
    assert logins["xth"] == ("officer", "常州西太湖科技产业园")
    assert logins["admin"][0] == "admin" and logins["leader"][0] == "leader"
    assert logins["expert"][0] == "reviewer"
    assert User.objects.get(username="gxq").check_password("xinzhi-demo")


def test_story_enterprises_carry_the_articles_facts(db):
    demo_load(synthetic=0)
    youci = Enterprise.objects.unscoped().get(name="常州优磁科技有限公司")
    assert youci.jurisdiction.name == "湖塘科技产业园"
    titles = dict(TitleHeld.objects.unscoped().filter(enterprise=youci)
                  .values_list("title", "valid_from__year"))
    assert titles["talent"] == 2021
    assert titles["seed_unicorn"] == 2023
    revenue = dict(AnnualFigures.objects.unscoped().filter(enterprise=youci)
                   .values_list("year", "revenue"))
    assert revenue[2023] == 3500 and revenue[2024] == 7000
    assert "2800万元融资" in youci.summary


def test_seed_demo_command_prints_a_summary(db, capsys):
    from django.core.management import call_command

    call_command("seed_demo", synthetic=5)
    out = capsys.readouterr().out
    assert "示例数据就绪：板块 15 个，演示账号 5 个" in out
    assert "新增合成企业 5 家" in out
