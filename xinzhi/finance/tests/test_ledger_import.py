"""Bank monthly ledger import: dry run, per-row Chinese errors, all or nothing, via the job."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from xinzhi.finance.imports import ledger_import
from xinzhi.finance.models import Loan, Repayment
from xinzhi.spreadsheets.tests.sheets import xlsx

D = Decimal
pytestmark = pytest.mark.django_db
HEADER = ["统一社会信用代码", "贷款产品", "放款日期", "还款日期", "还款本金（万元）", "逾期日期"]


def _xlsx(rows: list[list]) -> bytes:
    return xlsx(HEADER, rows)


@pytest.fixture
def two_loans(tech_sme, make_loan):
    a = make_loan(tech_sme("常州甲科技有限公司"), amount=D(500))  # disbursed 2024-04-11
    b = make_loan(tech_sme("常州乙科技有限公司"), amount=D(300))
    return a, b


def _state():
    return (
        sorted(Loan.objects.unscoped().values_list("pk", "status", "balance")),
        Repayment.objects.unscoped().count(),
    )


def test_clean_ledger_dry_run_then_commit(users, two_loans):
    a, b = two_loans
    data = _xlsx(
        [
            [a.enterprise.credit_code, "武科贷", "2024-04-11", "2024-05-11", 100, None],
            [a.enterprise.credit_code, "武科贷", "2024-04-11", "2024-06-11", 400, None],
            [b.enterprise.credit_code, "武科贷", "2024-04-11", None, None, "2024-07-01"],
        ]
    )
    before = _state()
    check = ledger_import(actor=users["gxq"], data=data, dry_run=True)
    assert (check.ok, check.rows, check.repaid, check.settled, check.overdue) == (
        True,
        3,
        D(500),
        1,
        1,
    )
    assert _state() == before
    done = ledger_import(actor=users["gxq"], data=data, dry_run=False)
    assert done.ok
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, a.balance, a.settled_on) == ("settled", D(0), dt.date(2024, 6, 11))
    assert (b.status, b.overdue_on) == ("overdue", dt.date(2024, 7, 1))
    assert Repayment.objects.unscoped().filter(source="银行台账导入").count() == 2


def test_bad_rows_are_reported_and_nothing_is_written(users, two_loans, make_enterprise):
    a, b = two_loans
    foreign = make_enterprise("西太湖企业", "xth")
    data = _xlsx(
        [
            [a.enterprise.credit_code, "武科贷", "2024-04-11", "2024-05-11", 100, None],  # fine
            [a.enterprise.credit_code, "武科贷", "2024-04-11", "2024-06-11", 401, None],
            [b.enterprise.credit_code, "武科贷", "2024-04-11", "2024-04-01", 10, None],
            [b.enterprise.credit_code, "贷贷宝", "2024-04-11", "2024-05-01", 10, None],
            [foreign.credit_code, "武科贷", "2024-04-11", "2024-05-01", 10, None],
            [b.enterprise.credit_code, "武科贷", "2024-04-11", "2024-05-01", None, None],
            [b.enterprise.credit_code, "武科贷", "2024-04-11", "2024-05-02", "十万", None],
        ]
    )
    before = _state()
    result = ledger_import(actor=users["gxq"], data=data, dry_run=False)
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (3, "还款本金（万元）", "还款本金401万元超过贷款余额400万元"),
        (4, "还款日期", "还款日期须在放款日期与今天之间"),
        (5, "贷款产品", "未知的贷款产品“贷贷宝”"),
        (6, "统一社会信用代码", "在您的管辖范围内找不到该企业此日放款的这笔贷款"),
        (7, "还款本金（万元）", "还款日期与还款本金须同时填写"),
        (8, "还款本金（万元）", "“十万”不是数字"),
    ]
    assert _state() == before


def test_the_same_ledger_twice_is_refused(users, two_loans):
    a, _ = two_loans
    data = _xlsx([[a.enterprise.credit_code, "武科贷", "2024-04-11", "2024-05-11", 100, None]])
    assert ledger_import(actor=users["gxq"], data=data, dry_run=False).ok
    again = ledger_import(actor=users["gxq"], data=data, dry_run=False)
    assert [e.message for e in again.errors] == [
        "该笔还款已登记（同一贷款、同日、同金额），请勿重复导入"
    ]
    assert Repayment.objects.unscoped().count() == 1


def test_ledger_import_through_the_page_and_its_job(client, users, two_loans):
    from django.core.files.uploadedfile import SimpleUploadedFile

    a, _ = two_loans
    data = _xlsx([[a.enterprise.credit_code, "武科贷", "2024-04-11", "2024-05-11", 100, None]])
    client.force_login(users["gxq"])
    response = client.post(
        "/finance/loans/ledger/",
        {"mode": "check", "file": SimpleUploadedFile("台账.xlsx", data)},
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "校验通过：共 1 行，涉及 1 笔贷款，还款本金合计 100 万元" in page
    assert Loan.objects.unscoped().get(pk=a.pk).balance == D(500)
