"""The sentence templates and the district's phrasing, on constructed figures (no database)."""

from decimal import Decimal

import pytest

from xinzhi.briefings.defaults import default_specs
from xinzhi.briefings.phrasing import (
    PLACEHOLDERS,
    Sentence,
    TemplateError,
    briefing_paragraphs,
    chinese_numeral,
    clause,
    fill,
    join_clauses,
    parse,
    percent,
    plain_number,
)
from xinzhi.briefings.tests.figures import figure, seed_figures

SEED_PARAGRAPH = (
    "1—9月，全区申报高企757家，全市第一；获评独角兽企业（潜在独角兽企业）10家、瞪羚企业133家，"
    "均为全市第一；申请入库评价科技型中小企业1732家，申报数全市第一；"
    "招引科技型中小微企业372家（市目标240家），系全市第一；已有203个项目通过区科技项目认定。"
)


def test_the_default_templates_write_the_seeds_paragraph():
    paragraphs = briefing_paragraphs(default_specs(), seed_figures(), scope_name="全区")
    assert [p.heading for p in paragraphs] == ["一、科技创新主要指标", "二、科技金融"]
    assert paragraphs[0].text == SEED_PARAGRAPH
    assert paragraphs[1].text == "1—9月，全区投放“武科贷”企业户数达71家，累计贷款金额1.8999亿元。"


def test_without_city_rankings_no_claim_and_no_punctuation_is_left():
    paragraphs = briefing_paragraphs(default_specs(), seed_figures(ranked=False), scope_name="全区")
    assert paragraphs[0].text == (
        "1—9月，全区申报高企757家；获评独角兽企业（潜在独角兽企业）10家、瞪羚企业133家；"
        "申请入库评价科技型中小企业1732家；招引科技型中小微企业372家（市目标240家）；"
        "已有203个项目通过区科技项目认定。"
    )
    assert "第一" not in "".join(p.text for p in paragraphs)


def test_a_group_whose_ranks_differ_keeps_each_claim():
    specs = default_specs()
    figures = [
        figure("unicorn_titles", "独角兽", "10", rank=1),
        figure("gazelle_titles", "瞪羚", "133", rank=2),
    ]
    assert briefing_paragraphs(specs, figures, scope_name="全区")[0].text == (
        "1—9月，获评独角兽企业（潜在独角兽企业）10家，全市第一；瞪羚企业133家，全市第二。"
    )


def test_a_group_with_no_ranks_stays_one_list():
    figures = [figure("unicorn_titles", "独角兽", "10"), figure("gazelle_titles", "瞪羚", "133")]
    assert briefing_paragraphs(default_specs(), figures, scope_name="全区")[0].text == (
        "1—9月，获评独角兽企业（潜在独角兽企业）10家、瞪羚企业133家。"
    )


def test_a_manual_figure_without_an_actual_has_no_sentence():
    figures = seed_figures()
    figures[3] = figure("tsme_evaluations", "科小", None, source="manual", rank=1)
    text = briefing_paragraphs(default_specs(), figures, scope_name="全区")[0].text
    assert "科技型中小企业" not in text
    assert text.startswith("1—9月，全区申报高企757家，全市第一；获评独角兽企业")
    assert "均为全市第一；招引科技型中小微企业372家" in text


def test_a_section_with_nothing_to_report_is_left_out_and_numbering_follows():
    figures = [figure("talents_attracted", "引进各类人才数", "3.66", unit="万人")]
    paragraphs = briefing_paragraphs(default_specs(), figures, scope_name="全区")
    assert [(p.heading, p.text) for p in paragraphs] == [
        ("一、科技招商与人才", "1—9月，全区引进各类人才3.66万人。")
    ]


def test_the_target_part_goes_when_there_is_no_city_target():
    sentence = Sentence(
        "attracted_tsme", "招引{实际}{单位}[（市目标{市目标}{单位}）]", "，系{排名}"
    )
    item = clause(sentence, figure("attracted_tsme", "招引", "372"), scope_name="全区")
    assert (item.text, item.claim) == ("招引372家", "")


def test_money_reaching_yi_is_written_in_yi_yuan_with_its_targets():
    sentence = Sentence("x", "贷款{实际}{单位}[，区目标{区目标}{单位}][，完成{进度}]")
    item = clause(
        sentence, figure("x", "贷款", "18999", unit="万元", district="15000"), scope_name=""
    )
    assert item.text == "贷款1.8999亿元，区目标1.5亿元，完成126.7%"
    small = clause(sentence, figure("x", "贷款", "915", unit="万元"), scope_name="")
    assert small.text == "贷款915万元"


def test_a_bourough_uses_its_own_name_for_the_scope():
    sentence = Sentence("hnte_applications", "{范围}申报高企{实际}{单位}")
    item = clause(sentence, figure("hnte_applications", "高企", "57"), scope_name="武进国家高新区")
    assert item.text == "武进国家高新区申报高企57家"


@pytest.mark.parametrize(
    "number,words",
    [(1, "一"), (2, "二"), (10, "十"), (11, "十一"), (20, "二十"), (23, "二十三"), (100, "100")],
)
def test_chinese_numerals(number, words):
    assert chinese_numeral(number) == words


def test_numbers_in_the_district_style():
    assert plain_number(Decimal("1732.0000")) == "1732"
    assert plain_number(Decimal("3.6600")) == "3.66"
    assert plain_number(Decimal("1E+3")) == "1000"
    assert percent(Decimal("1.5500")) == "155%"
    assert percent(Decimal("0.7854")) == "78.5%"
    assert percent(None) is None


@pytest.mark.parametrize(
    "text,message",
    [
        ("申报高企{实绩}家", "未知占位符 {实绩}"),
        ("申报高企{排名}", "未知占位符 {排名}"),
        ("申报{实际", "花括号不成对"),
        ("[（市目标{市目标}）", "方括号不成对：缺少 ]"),
        ("（市目标{市目标}）]", "方括号不成对：多了一个 ]"),
        ("[a[b]]", "不能嵌套"),
    ],
)
def test_bad_templates_are_refused_in_chinese(text, message):
    with pytest.raises(TemplateError, match=message.replace("{", r"\{").replace("}", r"\}")):
        parse(text, PLACEHOLDERS)


def test_a_template_is_text_not_code():
    values = {"实际": "{__class__}", "单位": "家"}
    assert fill("共{实际}{单位}", values, PLACEHOLDERS) == "共{__class__}家"
    with pytest.raises(TemplateError, match="花括号不成对"):
        fill("{{实际}}", {"实际": "1"}, PLACEHOLDERS)


def test_join_keeps_commas_inside_a_section():
    items = [
        clause(Sentence("a", "甲{实际}{单位}", joiner="，"), figure("a", "甲", "1"), scope_name=""),
        clause(Sentence("b", "乙{实际}{单位}"), figure("b", "乙", "2", rank=1), scope_name=""),
    ]
    assert join_clauses(items) == "甲1家，乙2家，全市第一"
