"""Each crash the issue lists now gives a clear message and exit code 2, never a traceback; the
parser and what-if share their validation; lever replay through ``--what-if``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xinzhi.eligibility import InputError, evaluate, facts_from_dict
from xinzhi.eligibility.changes import apply_changes
from xinzhi.eligibility.cli import main

from .conftest import chk, mk

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-8", "utf-16"])
def test_csv_in_every_excel_encoding_evaluates(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, encoding: str
) -> None:
    text = (EXAMPLES / "template.csv").read_text(encoding="utf-8")
    p = tmp_path / "in.csv"
    p.write_bytes(text.encode(encoding))
    code, out, err = run(capsys, "--policy", "tech-sme-2017", "--input", str(p))
    assert (code, err) == (0, "")
    names = {r["id"] for r in json.loads(out)["results"]}
    assert "E01" in names


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_json_not_in_plain_utf8(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, encoding: str
) -> None:
    p = tmp_path / "in.json"
    p.write_bytes(json.dumps([mk()], ensure_ascii=False).encode(encoding))
    code, out, _ = run(capsys, "--policy", "tech-sme-2017", "--input", str(p))
    assert code == 0 and json.loads(out)["results"][0]["id"] == "T1"


def test_undecodable_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    p = tmp_path / "in.csv"
    p.write_bytes(b"id,name\nA,\xff\xfe\xff\n")
    code, _, err = run(capsys, "--policy", "all", "--input", str(p))
    assert code == 2 and "无法识别的文件编码" in err


def test_huge_amount(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    p = tmp_path / "in.json"
    p.write_text(json.dumps([mk(fin={2024: {"revenue": "1e24"}})]), encoding="utf-8")
    code, _, err = run(capsys, "--policy", "all", "--input", str(p))
    assert code == 2 and "financials[2024].revenue" in err and "数值过大" in err


def test_xlsx_to_an_unwritable_path(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, example_path: str
) -> None:
    code, _, err = run(
        capsys,
        "--policy",
        "all",
        "--input",
        example_path,
        "--format",
        "xlsx",
        "--output",
        str(tmp_path / "no" / "such" / "dir" / "out.xlsx"),
    )
    assert code == 2 and "目录不存在" in err
    code, _, err = run(
        capsys,
        "--policy",
        "all",
        "--input",
        example_path,
        "--format",
        "xlsx",
        "--output",
        str(tmp_path),
    )
    assert code == 2 and "是目录" in err


def test_as_of_before_registration_or_in_the_future(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    p = tmp_path / "in.json"
    p.write_text(json.dumps([mk(registered_on="2021-06-01")]), encoding="utf-8")
    code, _, err = run(capsys, "--policy", "hnte-2016", "--input", str(p), "--as-of", "2017-06-01")
    assert code == 2 and "早于注册日期" in err
    code, _, err = run(capsys, "--policy", "hnte-2016", "--input", str(p), "--as-of", "2999-01-01")
    assert code == 2 and "晚于今天" in err


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"path": "financials[2024].main_revenue", "value": 1001}, "主营业务收入不能大于销售收入"),
        ({"path": "financials[2024].rd_expense_domestic", "delta": 1}, "境内研发费用不能大于"),
        ({"path": "srdi.market_share", "value": "1.2"}, "0–1"),
        ({"path": "financials[2024].rd_expense", "delta": -100}, "不能为负数"),
        ({"path": "ip.class1_self_developed", "value": 2}, "大于Ⅰ类知识产权总数"),
        ({"path": "financials[2024].revenue", "value": "1e24"}, "数值过大"),
        ({"path": "tech_staff", "delta": 500}, "大于职工总数"),
    ],
)
def test_what_if_applies_the_input_checks(change: dict[str, object], fragment: str) -> None:
    facts = facts_from_dict(mk())
    with pytest.raises(InputError) as exc:
        apply_changes(facts, [change])
    assert fragment in str(exc.value)


def test_what_if_class1_zero_no_longer_passes_little_giant_ip() -> None:
    """Issue 13: setting Ⅰ类 to 0 in what-if left 自主研发Ⅰ类 at 1 and the IP check met."""
    facts = facts_from_dict(
        mk(
            **{
                "ip.class1": 5,
                "ip.class1_self_developed": 5,
                "honours.srdi_sme_valid_until": "2027-12-31",
            }
        )
    )
    assert chk(evaluate(facts, "little-giant-2026"), "class1_ip")["status"] == "met"
    changed = apply_changes(facts, {"ip.class1": 0})  # the platform's what-if form
    assert (changed.ip.class1, changed.ip.class1_self_developed) == (0, 0)
    assert chk(evaluate(changed, "little-giant-2026"), "class1_ip")["status"] == "unmet"


def test_cli_replays_a_lever(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    d = mk(
        fin={
            2022: {"revenue": 4000, "rd_expense": "163.2", "rd_expense_domestic": "163.2"},
            2023: {"revenue": 4100, "rd_expense": "163.2", "rd_expense_domestic": "163.2"},
            2024: {"revenue": 4221, "rd_expense": "163.25", "rd_expense_domestic": "163.25"},
        }
    )
    p = tmp_path / "in.json"
    p.write_text(json.dumps([d]), encoding="utf-8")
    code, out, _ = run(capsys, "--policy", "hnte-2016", "--input", str(p))
    res = json.loads(out)["results"][0]
    lever = next(lv for lv in res["levers"] if lv["key"] == "rd_intensity")
    assert lever["window"]["as_of"] == "2026-05-31"
    code, out, err = run(
        capsys,
        "--policy",
        "hnte-2016",
        "--input",
        str(p),
        "--what-if",
        json.dumps(lever, ensure_ascii=False),
    )
    assert code == 0 and "应用 2 项调整" in err
    after = json.loads(out)["results"][0]
    assert after["as_of"] == "2026-05-31"
    assert next(c for c in after["checks"] if c["key"] == "rd_intensity")["status"] == "met"
    # a plain change list, from a file, for the current window
    f = tmp_path / "changes.json"
    f.write_text(
        json.dumps([{"path": "financials[2024].rd_expense", "delta": 126.4}]), encoding="utf-8"
    )
    code, out, _ = run(capsys, "--policy", "hnte-2016", "--input", str(p), "--what-if", str(f))
    after = json.loads(out)["results"][0]
    assert next(c for c in after["checks"] if c["key"] == "rd_intensity")["status"] == "met"
    code, _, err = run(
        capsys,
        "--policy",
        "hnte-2016",
        "--input",
        str(p),
        "--what-if",
        '[{"path": "nope", "delta": 1}]',
    )
    assert code == 2 and "无法调整的字段" in err


def test_api_warns_when_as_of_precedes_registration() -> None:
    from datetime import date

    r = evaluate(
        facts_from_dict(mk(registered_on="2021-06-01")), "unicorn-gei-2025", as_of=date(2017, 6, 1)
    )
    assert "评估日期 2017-06-01 早于注册日期 2021-06-01，结论无意义" in r.warnings
