"""Generating a briefing from live figures, its snapshot, editing, finalising, templates."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from docx import Document

from xinzhi.briefings import exports, selectors, services
from xinzhi.briefings.models import Briefing, BriefingFigure, SentenceTemplate
from xinzhi.briefings.tests.conftest import gazelle, typed
from xinzhi.core.exceptions import ApplicationError, ConcurrentEditError
from xinzhi.core.models import AuditEvent

pytestmark = pytest.mark.django_db

INNOVATION = (
    "1—9月，全区申报高企757家，全市第一；获评独角兽企业（潜在独角兽企业）10家、瞪羚企业2家，"
    "均为全市第一；申请入库评价科技型中小企业1732家，申报数全市第一；"
    "招引科技型中小微企业372家（市目标240家），系全市第一；已有203个项目通过区科技项目认定。"
)
FINANCE = "1—9月，全区投放“武科贷”企业户数达71家，累计贷款金额1.8999亿元。"


def _generate(user, jurisdiction_id=None):
    return services.briefing_generate(
        actor=user, year=2024, month=9, jurisdiction_id=jurisdiction_id, today=dt.date(2024, 10, 8)
    )


def _docx_text(briefing) -> str:
    data = exports.briefing_document(
        title=briefing.title,
        issue="",
        compiled_by=briefing.compiled_by,
        issued_on=briefing.issued_on,
        paragraphs=briefing.paragraphs,
    )
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def test_the_district_briefing_is_written_from_the_figures(world):
    briefing = _generate(world["users"]["admin"])
    assert briefing.title == "常州市武进区科技局 科技工作月报 2024年第9期"
    assert (briefing.edition, briefing.status, briefing.unit_name) == (1, "draft", "全区")
    assert briefing.period_label == "1—9月"
    texts = {p["heading"]: p["text"] for p in briefing.paragraphs}
    assert texts["一、科技创新主要指标"] == INNOVATION
    assert texts["三、科技金融"] == FINANCE
    # the snapshot holds the district and every 板块 (the report's columns)
    rows = BriefingFigure.objects.unscoped().filter(briefing=briefing)
    units = {row.jurisdiction_name for row in rows}
    assert units == {"常州市武进区", "武进国家高新区", "常州西太湖科技产业园", "湖塘镇"}
    row = rows.get(code="attracted_tsme", unit_id=None)
    assert (row.actual, row.source, row.city_rank, row.city_among) == (Decimal(372), "manual", 1, 7)
    assert row.targets == [
        {"level": "city", "level_label": "市目标", "value": "240", "progress": "1.5500"}
    ]
    assert row.progress == Decimal("1.5500") and row.elapsed == Decimal("0.7500")
    assert rows.get(code="attracted_tsme", unit_id=world["jurisdictions"]["gxq"].pk).actual == 120
    assert rows.get(code="gazelle_titles", unit_id=None).source == "computed"
    assert AuditEvent.objects.unscoped().filter(object_type__endswith="briefing").count() == 1


def test_no_ranking_claim_without_a_ranking_record(world):
    from xinzhi.dashboards.models import CityRanking

    CityRanking.objects.all().delete()
    briefing = _generate(world["users"]["admin"])
    text = briefing.paragraphs[0]["text"]
    assert "第一" not in text and "均为" not in text and "系" not in text
    assert text.startswith(
        "1—9月，全区申报高企757家；获评独角兽企业（潜在独角兽企业）10家、瞪羚企业2家；"
    )
    assert not BriefingFigure.objects.unscoped().filter(city_rank__isnull=False).exists()


def test_a_briefing_never_changes_when_the_records_do(world, make_enterprise):
    admin = world["users"]["admin"]
    briefing = _generate(admin)
    before_docx = _docx_text(briefing)
    before_rows = list(
        BriefingFigure.objects.unscoped().filter(briefing=briefing).values_list("code", "actual")
    )
    # records change after generation: a third 瞪羚, a corrected typed-in figure
    gazelle(make_enterprise("丙瞪羚科技有限公司", "xth"), dt.date(2024, 7, 1))
    from xinzhi.dashboards.models import ManualValue

    ManualValue.objects.unscoped().filter(
        indicator__code="attracted_tsme", jurisdiction=None
    ).update(value=Decimal(400))
    live = {
        f.code: f.actual
        for f in selectors.live_figures(user=admin, year=2024, month=9, units=[(None, "全区")])
    }
    assert (live["attracted_tsme"], live["gazelle_titles"]) == (400, 3)  # live figures moved …
    briefing.refresh_from_db()
    assert briefing.paragraphs[0]["text"] == INNOVATION  # … the briefing did not
    assert _docx_text(briefing) == before_docx
    assert (
        list(
            BriefingFigure.objects.unscoped()
            .filter(briefing=briefing)
            .values_list("code", "actual")
        )
        == before_rows
    )
    figures = {(f.code, f.jurisdiction_id): f for f in selectors.snapshot_figures(briefing)}
    assert figures[("attracted_tsme", None)].actual == 372
    # regenerating is a new version; the first is kept as it was
    second = _generate(admin)
    assert second.edition == 2
    assert "瞪羚企业3家" in second.paragraphs[0]["text"]
    assert "招引科技型中小微企业400家" in second.paragraphs[0]["text"]
    assert Briefing.objects.unscoped().get(pk=briefing.pk).paragraphs[0]["text"] == INNOVATION


def test_an_edit_on_a_stale_version_is_refused_not_written(world):
    admin = world["users"]["admin"]
    briefing = _generate(admin)
    texts = [p["text"] for p in briefing.paragraphs]
    edited = services.briefing_edit(
        actor=admin, briefing=briefing, texts=["改过的第一段。", *texts[1:]], expected_version=1
    )
    assert edited.version == 2 and edited.paragraphs[0]["text"] == "改过的第一段。"
    assert edited.paragraphs[0]["heading"] == "一、科技创新主要指标"
    with pytest.raises(ConcurrentEditError, match="已被他人修改"):
        services.briefing_edit(
            actor=world["users"]["admin"], briefing=briefing, texts=texts, expected_version=1
        )
    assert Briefing.objects.unscoped().get(pk=briefing.pk).paragraphs[0]["text"] == "改过的第一段。"
    # the snapshot is not touched by an edit of the text
    row = BriefingFigure.objects.unscoped().get(
        briefing=briefing, code="attracted_tsme", unit_id=None
    )
    assert row.actual == 372


def test_a_finalised_briefing_no_longer_changes(world):
    admin = world["users"]["admin"]
    briefing = _generate(admin)
    final = services.briefing_finalise(actor=admin, briefing=briefing, expected_version=1)
    assert final.status == "final" and final.finalised_by == admin
    with pytest.raises(ApplicationError, match="已定稿"):
        services.briefing_edit(
            actor=admin, briefing=final, texts=["x"] * 3, expected_version=final.version
        )
    with pytest.raises(ApplicationError, match="已定稿"):
        services.briefing_finalise(actor=admin, briefing=final, expected_version=final.version)


def test_an_officer_writes_their_own_borough_only(world):
    gxq, xth = world["jurisdictions"]["gxq"], world["jurisdictions"]["xth"]
    officer = world["users"]["gxq"]
    briefing = _generate(officer, gxq.pk)
    assert briefing.title == "武进国家高新区 科技工作月报 2024年第9期"
    assert briefing.compiled_by == "武进国家高新区"
    rows = BriefingFigure.objects.unscoped().filter(briefing=briefing)
    assert {row.unit_id for row in rows} == {gxq.pk}
    text = briefing.paragraphs[0]["text"]
    assert "武进国家高新区申报高企0家" in text and "瞪羚企业2家" in text
    assert "招引科技型中小微企业120家" in text
    assert "全市" not in text  # city rankings are the district's, not a 板块's
    for other in (xth.pk, None):
        with pytest.raises(ApplicationError, match="不在您的管辖范围内"):
            _generate(officer, other)
    assert Briefing.objects.visible_to(world["users"]["xth"]).count() == 0


def test_leaders_read_but_do_not_generate(world):
    with pytest.raises(ApplicationError) as refused:
        _generate(world["users"]["leader"])
    assert refused.value.code == "forbidden"


def test_a_template_with_an_unknown_placeholder_is_refused(world):
    from django.core.exceptions import ValidationError

    admin = world["users"]["admin"]
    template = SentenceTemplate.objects.get(code="attracted_tsme")
    with pytest.raises(ValidationError) as refused:
        services.sentence_template_update(
            actor=admin, template=template, data={"text": "招引{实绩}家"}, expected_version=1
        )
    assert "未知占位符 {实绩}" in refused.value.message_dict["text"][0]
    with pytest.raises(ValidationError) as refused:
        services.sentence_template_update(
            actor=admin, template=template, data={"rank_text": "，位列{进度}"}, expected_version=1
        )
    assert "未知占位符 {进度}" in refused.value.message_dict["rank_text"][0]
    updated = services.sentence_template_update(
        actor=admin,
        template=template,
        data={"text": "招引科技型中小微企业{实际}{单位}[，完成市目标的{进度}]"},
        expected_version=1,
    )
    assert updated.version == 2
    with pytest.raises(ConcurrentEditError):
        services.sentence_template_update(
            actor=admin, template=template, data={"text": "x"}, expected_version=1
        )
    text = _generate(admin).paragraphs[0]["text"]
    assert "招引科技型中小微企业372家，完成市目标的155%，系全市第一" in text


def test_the_shipped_templates_are_installed_and_reloading_keeps_edits(world):
    assert SentenceTemplate.objects.count() == 12
    SentenceTemplate.objects.filter(code="tsme_new").update(text="改")
    SentenceTemplate.objects.filter(code="talents_attracted").delete()
    assert services.templates_load_defaults(actor=world["users"]["admin"]) == 1
    assert SentenceTemplate.objects.get(code="tsme_new").text == "改"
    with pytest.raises(ApplicationError):
        services.templates_load_defaults(actor=world["users"]["leader"])


def test_typed_in_figure_of_another_month_is_not_this_months(world):
    typed("talents_attracted", "3.66", month=12)
    briefing = _generate(world["users"]["admin"])
    assert "人才" not in "".join(p["text"] for p in briefing.paragraphs)


def test_the_command_refuses_a_file_with_an_unknown_placeholder(db, tmp_path):
    from django.core.management import CommandError, call_command

    bad = tmp_path / "t.yaml"
    bad.write_text(
        "sections:\n  - code: s\n    title: 标题\n    sentences:\n"
        "      - {code: new_one, text: '新增{数量}家'}\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match=r"指标 new_one 的句式：未知占位符 \{数量\}"):
        call_command("load_briefing_templates", "--file", str(bad))
    assert not SentenceTemplate.objects.filter(code="new_one").exists()
    out = io.StringIO()
    call_command("load_briefing_templates", stdout=out)
    assert out.getvalue().strip() == "已新增 0 条句式模板（已有的模板保持不变）。"


def test_the_demo_holds_the_august_briefing_once(world):
    from xinzhi.briefings.demo import load_demo

    admin = world["users"]["admin"]
    assert load_demo(admin=admin, seed=1) == {"科技工作月报": 1}
    assert load_demo(admin=admin, seed=1) == {"科技工作月报": 1}
    briefing = Briefing.objects.unscoped().get()
    assert (briefing.year, briefing.month, briefing.is_demo) == (2024, 8, True)
    assert briefing.title == "常州市武进区科技局 科技工作月报 2024年第8期"
    assert briefing.issued_on == dt.date(2024, 9, 6)


def test_characters_word_and_postgresql_cannot_store_are_dropped_from_an_edit(world):
    admin = world["users"]["admin"]
    briefing = _generate(admin)
    texts = [p["text"] for p in briefing.paragraphs]
    texts[0] = "今年\x001—9月\x0b，全区\x1f申报高企757家。\t完"
    edited = services.briefing_edit(actor=admin, briefing=briefing, texts=texts, expected_version=1)
    assert edited.paragraphs[0]["text"] == "今年1—9月，全区申报高企757家。\t完"
    assert "今年1—9月，全区申报高企757家。" in _docx_text(edited)


def test_an_indicator_without_a_sentence_gets_one(world):
    from django.core.exceptions import ValidationError

    from xinzhi.briefings.models import Section
    from xinzhi.dashboards.selectors import indicator_choices

    admin = world["users"]["admin"]
    known = [code for code, _name in indicator_choices()]
    finance = Section.objects.get(code="finance")
    data = {"section": finance, "order": 3, "text": "政策兑现{实际}{单位}", "joiner": "；"}
    with pytest.raises(ValidationError) as refused:
        services.sentence_template_create(
            actor=admin, data={**data, "code": "made_up"}, known_codes=known
        )
    assert refused.value.message_dict == {"code": ["请选择指标库中的指标"]}
    with pytest.raises(ValidationError) as refused:
        services.sentence_template_create(
            actor=admin, data={**data, "code": "attracted_tsme"}, known_codes=known
        )
    assert refused.value.message_dict == {"code": ["该指标已有句式模板，请直接编辑"]}
    with pytest.raises(ValidationError, match="未知占位符"):
        services.sentence_template_create(
            actor=admin,
            data={**data, "code": "reward_paid", "text": "兑现{金额}"},
            known_codes=known,
        )
    typed("reward_paid", "1180")
    services.sentence_template_create(
        actor=admin,
        data={**data, "code": "reward_paid", "text": "政策兑现拨付{实际}{单位}", "rank_text": ""},
        known_codes=known,
    )
    text = _generate(admin).paragraphs[2]["text"]
    assert text == (
        "1—9月，全区投放“武科贷”企业户数达71家，累计贷款金额1.8999亿元；政策兑现拨付1180万元。"
    )
