"""Amount rules and rule-set parsing, against hand-computed figures (no database)."""

from decimal import Decimal

import pytest

from xinzhi.rewards import rules
from xinzhi.rewards.rules import AmountRule, RuleError, yuan_words


def test_fixed_amount_in_words():
    rule = AmountRule.from_dict({"kind": "fixed", "yuan": 200000}, where="t")
    assert rule.compute({}) == (Decimal(200000), "奖励20万元")


def test_tiered_by_level_picks_the_tier_and_refuses_an_unlisted_level():
    rule = AmountRule.from_dict(
        {"kind": "tiered", "tiers": {"provincial": 300000, "municipal": 100000}}, where="t"
    )
    assert rule.compute({"level": "municipal"}) == (Decimal(100000), "按市级标准奖励10万元")
    assert rule.compute({"level": "provincial"}) == (Decimal(300000), "按省级标准奖励30万元")
    amount, words = rule.compute({"level": "district"})
    assert amount is None
    assert words == "区级不在奖励分档内（省级30万元、市级10万元）"


def test_tiers_read_from_the_highest_level_whatever_the_stored_order():
    rule = AmountRule.from_dict(
        {"kind": "tiered", "tiers": {"municipal": 100000, "national": 500000}}, where="t"
    )
    assert rule.describe() == "按级别分档：国家级50万元、市级10万元"


def test_percentage_with_cap_of_soft_science_3000_yuan():
    rule = AmountRule.from_dict(
        {"kind": "percentage", "base": "grant", "rate": 1, "cap_yuan": 3000}, where="t"
    )
    assert rule.compute({"grant": Decimal(2500)}) == (
        Decimal("2500.00"),
        "按资助金额2,500元的100%计2,500元",
    )
    amount, words = rule.compute({"grant": Decimal(5000)})
    assert amount == Decimal(3000)
    assert words == "按资助金额5,000元的100%计5,000元，超过上限3,000元，按上限3,000元兑现"


def test_percentage_rounds_to_the_fen():
    rule = AmountRule.from_dict(
        {"kind": "percentage", "base": "rd_expense", "rate": "0.05"}, where="t"
    )
    assert rule.compute({"rd_expense": Decimal("123456.789")})[0] == Decimal("6172.84")
    assert rule.compute({}) == (None, "缺少研发费用，无法按比例计算")


def test_yuan_words():
    assert yuan_words(Decimal(200000)) == "20万元"
    assert yuan_words(Decimal(15000)) == "1.5万元"
    assert yuan_words(Decimal(3000)) == "3,000元"
    assert yuan_words(Decimal("2500.5")) == "2,500.50元"


@pytest.mark.parametrize(
    "amount,message",
    [
        ({"kind": "fixed"}, "t：固定金额规则缺少 yuan"),
        ({"kind": "bonus"}, "t：金额规则类型“bonus”无效，应为 fixed、tiered 或 percentage"),
        ({"kind": "fixed", "yuan": -1}, "t：yuan 不能为负数"),
    ],
)
def test_bad_amount_rules_are_refused_in_chinese(amount, message):
    with pytest.raises(RuleError) as err:
        AmountRule.from_dict(amount, where="t")
    assert str(err.value) == message


def test_unknown_trigger_and_budget_line_are_refused():
    text = """
code: x
name: x
effective_from: 2024-01-01
budget_lines: [{code: a, name: A}]
items:
  - code: i
    name: I
    trigger: {kind: project_funded}
    amount: {kind: fixed, yuan: 1}
    budget_line: a
"""
    with pytest.raises(RuleError) as err:
        rules.parse_policy(text, trigger_kinds={"title_new"})
    assert str(err.value) == "事项 i：触发条件“project_funded”尚未实现（可用：title_new）"
    with pytest.raises(RuleError) as err:
        rules.parse_policy(text.replace("budget_line: a", "budget_line: b"))
    assert str(err.value) == "事项 i：预算科目“b”未在 budget_lines 中定义"


def test_the_bundled_demo_rule_set_loads_and_is_marked_as_an_example():
    from xinzhi.rewards.triggers import trigger_kinds

    (path,) = rules.bundled_files()
    spec = rules.load_file(path, trigger_kinds=trigger_kinds())
    assert spec.is_example is True
    assert "示例" in spec.name
    soft = next(i for i in spec.items if i.code == "soft-science-matching")
    assert soft.amount.cap_yuan == Decimal(3000)
