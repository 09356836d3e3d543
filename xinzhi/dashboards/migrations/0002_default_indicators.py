from django.db import migrations

# The indicator library a district starts with (指标库); the bureau edits it in Django admin.
# The codes are fixed: the monthly briefing's sentence templates name them.
# code, name, unit, period type, computation ("" = typed in), key indicator, source note
DEFAULT_INDICATORS = (
    ("hnte_applications", "申报高企数", "家", "month", "hnte_applications", True, ""),
    ("unicorn_titles", "获评独角兽（潜在独角兽）企业数", "家", "month", "unicorn_titles", True, ""),
    ("gazelle_titles", "获评瞪羚企业数", "家", "month", "gazelle_titles", True, ""),
    ("tsme_evaluations", "申请入库评价科技型中小企业数", "家", "month", "tsme_evaluations", True, ""),
    ("attracted_tsme", "招引科技型中小微企业数", "家", "month", "attracted_tsme", True, ""),
    ("project_recognitions", "科技项目认定数", "个", "month", "project_recognitions", True, ""),
    ("wukedai_households", "武科贷投放户数", "户", "month", "wukedai_households", True, ""),
    ("wukedai_amount", "武科贷投放金额", "万元", "month", "wukedai_amount", True, ""),
    ("tech_projects_attracted", "招引科技项目数", "个", "month", "tech_projects_attracted", False, ""),
    (
        "talents_attracted",
        "引进各类人才数",
        "万人",
        "year",
        "",
        False,
        "平台只记录人才计划推荐（龙城英才等），不掌握全部引进人才；按区人才工作年度统计填报",
    ),
    ("hnte_net_increase", "净增高新技术企业数", "家", "year", "hnte_net_increase", False, ""),
    ("tsme_new", "新增科技型中小企业数", "家", "month", "tsme_new", False, ""),
    ("key_project_investment", "区重点项目完成投资", "万元", "month", "key_project_investment", False, ""),
    ("reward_paid", "政策兑现拨付金额", "万元", "month", "reward_paid", False, ""),
)


def create(apps, schema_editor):
    Indicator = apps.get_model("dashboards", "Indicator")
    for order, (code, name, unit, period_type, computation, key, note) in enumerate(
        DEFAULT_INDICATORS, start=1
    ):
        Indicator.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "unit": unit,
                "period_type": period_type,
                "computation": computation,
                "is_key": key,
                "source_note": note,
                "order": order * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
