"""Command line: every format, bad input, unknown policy, exit codes, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from xinzhi.eligibility.cli import main

ROOT = Path(__file__).resolve().parents[3]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json(capsys: pytest.CaptureFixture[str], example_path: str) -> None:
    code, out, err = run(capsys, "--policy", "tech-sme-2017,hnte-2016", "--input", example_path)
    assert (code, err) == (0, "")
    res = json.loads(out)["results"]
    assert len(res) == 16
    r = res[0]
    assert set(r) == {
        "id",
        "policy",
        "policy_name",
        "verdict",
        "route",
        "score",
        "checks",
        "indicators",
        "levers",
        "source",
        "effective_from",
        "effective_until",
        "unconfirmed",
        "as_of",
        "lever_window",
        "blocked_by",
        "lever_plan",
        "missing",
        "readiness",
        "warnings",
    }
    assert set(r["checks"][0]) == {
        "key",
        "label",
        "status",
        "actual",
        "required",
        "gap",
        "confidence",
        "note",
        "missing",
    }
    assert set(r["indicators"][0]) == {
        "key",
        "label",
        "points",
        "max",
        "actual",
        "band",
        "confidence",
    }
    e07 = next(x for x in res if x["id"] == "E07" and x["policy"] == "tech-sme-2017")
    assert (e07["verdict"], e07["score"]) == ("ineligible", {"min": 58, "max": 58, "pass": 60})


def test_as_of_flag(capsys: pytest.CaptureFixture[str], example_path: str) -> None:
    code, out, _ = run(
        capsys, "--policy", "tech-sme-2017", "--input", example_path, "--as-of", "2026-01-01"
    )
    assert code == 0
    assert {r["as_of"] for r in json.loads(out)["results"]} == {"2026-01-01"}


def test_table(capsys: pytest.CaptureFixture[str], example_path: str) -> None:
    code, out, _ = run(
        capsys, "--policy", "hnte-2016", "--input", example_path, "--format", "table"
    )
    assert code == 0
    assert "常州优磁科技有限公司" in out and "高新技术企业认定" in out
    assert "研发费用" in out and "待人工审核" in out and "提升建议" in out


def test_summary(capsys: pytest.CaptureFixture[str], example_path: str) -> None:
    code, out, _ = run(capsys, "--policy", "all", "--input", example_path, "--format", "summary")
    assert code == 0
    assert "8 家企业" in out and "seed-unicorn-cz-2024" in out


def test_xlsx(capsys: pytest.CaptureFixture[str], example_path: str, tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    code, _, err = run(
        capsys,
        "--policy",
        "all",
        "--input",
        example_path,
        "--format",
        "xlsx",
        "--output",
        str(target),
    )
    assert code == 0 and "已写入" in err
    wb = CalamineWorkbook.from_path(str(target))
    assert wb.sheet_names[:2] == ["tech-sme-2017", "hnte-2016"]
    rows = wb.get_sheet_by_name("tech-sme-2017").to_python()
    assert rows[0][:3] == ["企业编号", "企业名称", "结论"]
    assert "职工总数≤500\n[employees_cap]" in rows[0]
    assert len(rows) == 9
    code, _, err = run(capsys, "--policy", "all", "--input", example_path, "--format", "xlsx")
    assert code == 2 and "--output" in err


def test_unknown_policy(capsys: pytest.CaptureFixture[str], example_path: str) -> None:
    code, out, err = run(capsys, "--policy", "tech-sme-2099", "--input", example_path)
    assert (code, out) == (2, "")
    assert "未知政策编号: tech-sme-2099" in err and "hnte-2016" in err


@pytest.mark.parametrize(
    ("record", "fragments"),
    [
        ({"id": "X1", "employees": 10, "tech_staff": 11}, ["X1", "tech_staff", "大于职工总数"]),
        (
            {"id": "X2", "financials": [{"year": 2024, "rd_expense": -3}]},
            ["X2", "financials[2024].rd_expense", "负数"],
        ),
        ({"id": "X3", "registered_on": "yesterday"}, ["X3", "registered_on", "日期"]),
        ({"name": "无编号企业"}, ["id", "缺少企业 id"]),
    ],
)
def test_bad_input(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    record: dict[str, object],
    fragments: list[str],
) -> None:
    p = tmp_path / "in.json"
    p.write_text(json.dumps([record], ensure_ascii=False), encoding="utf-8")
    code, out, err = run(capsys, "--policy", "all", "--input", str(p))
    assert (code, out) == (2, "")
    for frag in fragments:
        assert frag in err
    assert "Traceback" not in err


def test_bad_csv_column_and_missing_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    p = tmp_path / "in.csv"
    p.write_text("id,year,revnue\nA,2024,5\n", encoding="utf-8")
    code, _, err = run(capsys, "--policy", "all", "--input", str(p))
    assert code == 2 and "revnue" in err and "未知列" in err
    code, _, err = run(capsys, "--policy", "all", "--input", str(tmp_path / "none.json"))
    assert code == 2 and "找不到输入文件" in err
    code, _, err = run(capsys, "--policy", "all", "--input", str(p), "--as-of", "2025-02-30")
    assert code == 2 and "--as-of" in err
    code, _, err = run(capsys, "--input", str(p))
    assert code == 2 and "--policy" in err


def test_python_dash_m(example_path: str) -> None:
    proc = subprocess.run(  # noqa: S603 - fixed argv, our own module
        [
            sys.executable,
            "-m",
            "xinzhi.eligibility",
            "evaluate",
            "--policy",
            "tech-sme-2017",
            "--input",
            example_path,
            "--format",
            "summary",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "tech-sme-2017" in proc.stdout
    proc = subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "-m", "xinzhi.eligibility", "--policy", "x", "--input", example_path],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_family_name_picks_the_version_in_force_and_review_mode(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from .conftest import mk

    p = tmp_path / "in.json"
    p.write_text(
        json.dumps([mk(**{"honours.srdi_sme_valid_until": "2027-12-31"})]), encoding="utf-8"
    )
    code, out, err = run(
        capsys, "--policy", "little_giant", "--input", str(p), "--as-of", "2026-06-01"
    )
    assert (code, err) == (0, "")
    assert [r["policy"] for r in json.loads(out)["results"]] == ["little-giant-2026"]
    code, out, err = run(
        capsys, "--policy", "little_giant", "--input", str(p), "--as-of", "2026-06-01", "--review"
    )
    assert (code, err) == (0, "")
    [r] = json.loads(out)["results"]
    assert (r["policy"], r["warnings"]) == ("little-giant-2022", [])
    code, out, _ = run(
        capsys, "--policy", "little_giant", "--input", str(p), "--as-of", "2025-06-01"
    )
    assert [r["policy"] for r in json.loads(out)["results"]] == ["little-giant-2022"]


def test_rule_set_outside_its_dates_warns(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from .conftest import mk

    p = tmp_path / "in.json"
    p.write_text(json.dumps([mk(registered_on="2010-01-01")]), encoding="utf-8")
    code, out, err = run(
        capsys,
        "--policy",
        "srdi-sme-2022,srdi-sme-2026",
        "--input",
        str(p),
        "--as-of",
        "2026-06-01",
    )
    assert code == 0
    old, new = json.loads(out)["results"]
    assert old["warnings"] == [
        "规则集 srdi-sme-2022 的适用期为2022-08-01起至2026-03-31，评估日期 2026-06-01 不在其内"
    ]
    assert new["warnings"] == []
    assert err == f"警告：{old['warnings'][0]}\n"
    code, out, err = run(
        capsys, "--policy", "srdi-sme-2026", "--input", str(p), "--as-of", "2020-06-01"
    )
    assert "适用期为2026-04-01起" in err


def test_table_and_xlsx_show_readiness_and_missing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    p = tmp_path / "in.json"
    p.write_text(
        json.dumps(
            [
                {
                    "id": "N1",
                    "as_of": "2025-05-31",
                    "registered_on": "2020-01-01",
                    "funding": {"has_institutional_investment": True},
                    "flags": {"resident": True, "listed": False},
                }
            ]
        ),
        encoding="utf-8",
    )
    code, out, _ = run(
        capsys, "--policy", "unicorn-gei-2025", "--input", str(p), "--format", "table"
    )
    assert code == 0
    assert "数据不全：缺少 funding.valuation_usd_m, funding.financing_usd_m" in out
    x = tmp_path / "out.xlsx"
    code, _, _ = run(
        capsys,
        "--policy",
        "unicorn-gei-2025",
        "--input",
        str(p),
        "--format",
        "xlsx",
        "--output",
        str(x),
    )
    rows = CalamineWorkbook.from_path(str(x)).get_sheet_by_index(0).to_python()
    assert rows[0][-3:] == ["可申报判断", "缺失数据", "警告"]
    assert rows[1][-3:-1] == ["数据不全", "funding.valuation_usd_m, funding.financing_usd_m"]
