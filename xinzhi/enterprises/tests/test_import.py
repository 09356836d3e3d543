import io
from decimal import Decimal

import pytest
import xlsxwriter

from xinzhi.core.audit import change_rows
from xinzhi.core.models import AuditEvent
from xinzhi.enterprises.imports import figures_import
from xinzhi.enterprises.models import AnnualFigures
from xinzhi.spreadsheets.importing import ImportFileError
from xinzhi.spreadsheets.tests import sheets

HEADER = [
    "统一社会信用代码",
    "年度",
    "职工总数",
    "科技人员数",
    "销售收入（万元）",
    "研发费用（万元）",
]


def xlsx(rows: list[list], header: list[str] = HEADER) -> bytes:
    return sheets.xlsx(header, rows)


def test_dry_run_checks_everything_and_writes_nothing(users, make_enterprise):
    a = make_enterprise("甲", "gxq")
    b = make_enterprise("乙", "gxq", revenue=100, year=2024)
    data = xlsx(
        [[a.credit_code, 2024, 100, 30, 4800, 300], [b.credit_code, 2024, 50, 10, 150.5, 8]]
    )
    result = figures_import(actor=users["gxq"], data=data, dry_run=True)
    assert (result.ok, result.rows, result.created, result.updated) == (True, 2, 1, 1)
    assert AnnualFigures.objects.unscoped().count() == 1
    assert AuditEvent.all_objects.count() == 0


def test_commit_creates_updates_and_audits(
    users, make_enterprise, django_capture_on_commit_callbacks
):
    a = make_enterprise("甲", "gxq")
    b = make_enterprise("乙", "gxq", revenue=100, year=2024)
    data = xlsx(
        [
            [a.credit_code.lower(), 2024, 100, 30, 4800, 300],
            [b.credit_code, 2024, None, None, 150.5, None],
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = figures_import(actor=users["gxq"], data=data, dry_run=False)
    assert (result.ok, result.created, result.updated) == (True, 1, 1)
    row_a = AnnualFigures.objects.unscoped().get(enterprise=a, year=2024)
    assert (row_a.employees, row_a.revenue, row_a.rd_expense) == (
        100,
        Decimal("4800.00"),
        Decimal("300.00"),
    )
    row_b = AnnualFigures.objects.unscoped().get(enterprise=b, year=2024)
    # Empty cells keep what was stored (make_enterprise stored 100 employees, R&D 5).
    assert (row_b.employees, row_b.revenue, row_b.rd_expense) == (
        100,
        Decimal("150.50"),
        Decimal("5.00"),
    )
    events = {e.enterprise_id: e for e in AuditEvent.all_objects.filter(action="import")}
    # Only the changed field, as [before, after] under its short key (销售收入 is the 4th
    # figure), amounts as JSON numbers; a new row's values alone. The history reads them in
    # Chinese.
    assert events[b.pk].changes == {"~": "fig1", "3": [100, 150.5]}
    assert change_rows(events[b.pk]) == [
        {"field": "revenue", "label": "销售收入", "before": "100", "after": "150.5"}
    ]
    # A new row: its values in the registered order, no key each (null: not in the file).
    assert events[a.pk].changes == {"~": "fig1", "+": [100, 30, None, 4800, None, None, None, 300]}
    assert [(r["label"], r["before"], r["after"]) for r in change_rows(events[a.pk])] == [
        ("职工总数", "—", "100"),
        ("科技人员数", "—", "30"),
        ("销售收入", "—", "4800"),
        ("研发费用", "—", "300"),
    ]
    assert events[a.pk].actor == users["gxq"]
    # The year alone as the object: the enterprise is the event's enterprise_id.
    assert (events[a.pk].object_id, events[a.pk].object_repr) == ("2024", "2024年度经营数据")
    # What every row shares is said once, by the import's own event.
    assert (events[a.pk].note, events[a.pk].ip_address) == ("", None)
    assert (events[None].object_repr, events[None].note) == (
        "年度经营数据批量导入",
        "Excel 批量导入：新增 1 条、修改 1 条",
    )
    assert len(events) == 3


def test_each_row_writes_only_its_changed_fields(users, make_enterprise, monkeypatch):
    """Rows changing different fields are written in groups of the same fields; a field the
    file leaves alone keeps what another user saved after the import read the stored rows."""
    from xinzhi.enterprises import imports

    a = make_enterprise("甲", "gxq", revenue=100, year=2024)  # 100 employees, 20 tech staff
    b = make_enterprise("乙", "gxq", revenue=200, year=2024)
    c = make_enterprise("丙", "gxq", revenue=300, year=2024)
    read_stored = imports._existing

    def read_then_someone_saves(rows):  # noqa: ANN001, ANN202 - the import's own signature
        stored = read_stored(rows)
        AnnualFigures.objects.unscoped().filter(enterprise__in=[a, b, c]).update(tech_staff=25)
        return stored

    monkeypatch.setattr(imports, "_existing", read_then_someone_saves)
    data = xlsx(
        [
            [a.credit_code, 2024, None, None, 150.5, None],  # revenue
            [b.credit_code, 2024, 90, None, None, 12.25],  # employees and R&D
            [c.credit_code, 2024, 100, 20, 300, 15],  # the stored values: nothing to write
        ]
    )
    result = figures_import(actor=users["gxq"], data=data, dry_run=False)
    assert (result.ok, result.created, result.updated, result.unchanged) == (True, 0, 2, 1)
    stored = {
        f.enterprise_id: (f.employees, f.tech_staff, f.revenue, f.rd_expense)
        for f in AnnualFigures.objects.unscoped().filter(year=2024)
    }
    assert stored == {
        a.pk: (100, 25, Decimal("150.50"), Decimal("5.00")),
        b.pk: (90, 25, Decimal("200.00"), Decimal("12.25")),
        c.pk: (100, 25, Decimal("300.00"), Decimal("15.00")),
    }


def test_amounts_beyond_a_double_s_precision_are_audited_as_text():
    from xinzhi.enterprises.imports import _audit_value

    assert [
        _audit_value(Decimal(v)) for v in ("4800.00", "150.50", "0.01", "99999999999999.99")
    ] == [4800, 150.5, 0.01, "99999999999999.99"]
    assert (_audit_value(None), _audit_value(7)) == (None, 7)


@pytest.mark.parametrize(
    "text",
    ["0", "-0", "0.00", "150.50", "150.5", "0.01", "-0.01", "4800.00", "4800", "3E+3",
     "999999999999999", "1000000000000000", "-999999999999999", "9999999999999.99",
     "10000000000000.01", "99999999999999.99", "61.725", "0.125", "1.1E-10", "1E+20",
     "123456789012345.6", "NaN", "Infinity", "-Infinity"],
)  # fmt: skip
def test_the_audit_value_fast_path_gives_what_the_digit_count_gives(text):
    from xinzhi.enterprises.imports import _audit_value

    def by_digits(value: Decimal):  # the rule as first written: ≤ 15 significant digits
        number = value.normalize()
        _sign, digits, exponent = number.as_tuple()
        if len(digits) > 15 or not isinstance(exponent, int):
            return format(number, "f")
        return int(number) if exponent >= 0 else float(number)

    got, expected = _audit_value(Decimal(text)), by_digits(Decimal(text))
    assert (type(got), got) == (type(expected), expected)


def test_every_figure_has_a_short_audit_key():
    from xinzhi.enterprises.imports import AUDIT_KEYS
    from xinzhi.enterprises.services import FIGURE_FIELDS

    assert set(FIGURE_FIELDS) <= set(AUDIT_KEYS)


def test_one_bad_row_writes_nothing_and_every_problem_is_listed(users, make_enterprise):
    a = make_enterprise("甲", "gxq")
    other = make_enterprise("西太湖企业", "xth")
    data = xlsx(
        [
            [a.credit_code, 2024, 100, 30, 4800, 300],
            [a.credit_code, 2024, 100, 30, 4800, 300],
            [other.credit_code, 2024, 10, 1, 1, 1],
            [a.credit_code, 2023, 10, 11, -5, "abc"],
            ["", 2023, 1, 1, 1, 1],
        ]
    )
    result = figures_import(actor=users["gxq"], data=data, dry_run=False)
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (3, "年度", "与第2行重复（同一企业同一年度）"),
        (4, "统一社会信用代码", f"{other.credit_code} 未在企业库登记，或不在您的管辖范围内"),
        (5, "研发费用（万元）", "“abc”不是数字"),
        (5, "销售收入（万元）", "金额不能为负数"),
        (6, "统一社会信用代码", "必填"),
    ]
    assert AnnualFigures.objects.unscoped().count() == 0


def test_cross_field_rule_uses_the_stored_values(users, make_enterprise):
    a = make_enterprise("甲", "gxq", revenue=100, year=2024)  # 100 employees stored
    data = xlsx([[a.credit_code, 2024, None, 120, None, None]])
    result = figures_import(actor=users["gxq"], data=data, dry_run=True)
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "科技人员数", "科技人员数不能超过职工总数。")
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not an excel file", "只支持 .xlsx 格式的 Excel 文件"),
        (xlsx([], header=["统一社会信用代码", "年度", "利润率"]), "无法识别的列：利润率"),
        (xlsx([], header=["统一社会信用代码", "销售收入（万元）"]), "缺少必填列：年度"),
    ],
)
def test_bad_files_are_refused_with_a_reason(users, data, message):
    with pytest.raises(ImportFileError, match=message):
        figures_import(actor=users["gxq"], data=data, dry_run=True)


def test_import_page_and_template(login, users, make_enterprise):
    a = make_enterprise("甲", "gxq")
    client = login(users["gxq"])
    assert client.get("/enterprises/import/template.xlsx").status_code == 200
    check = client.post(
        "/enterprises/import/",
        {"mode": "check", "file": io.BytesIO(xlsx([[a.credit_code, 2024, 1, 1, 1, 1]]))},
        follow=True,
    )
    assert "校验通过：共 1 行，将新增 1 条、更新 0 条年度数据。" in check.content.decode()
    assert AnnualFigures.objects.unscoped().count() == 0
    upload = io.BytesIO(xlsx([[a.credit_code, 2024, 1, 1, 1, 1]]))
    upload.name = "figures.xlsx"
    done = client.post("/enterprises/import/", {"mode": "commit", "file": upload})
    assert done.status_code == 302
    assert done.url.startswith("/jobs/")
    assert AnnualFigures.objects.unscoped().count() == 1
    assert login(users["leader"]).get("/enterprises/import/").status_code == 403


def test_import_command(users, make_enterprise, tmp_path, capsys):
    from django.core.management import CommandError, call_command

    a = make_enterprise("甲", "gxq")
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx([[a.credit_code, 2024, 1, 1, 1, 1]]))
    call_command("import_figures", str(good), "--user", "gxq", "--dry-run")
    assert capsys.readouterr().out == (
        "校验通过（未写入）：1 行，新增 1 条，更新 0 条。\n"
        "将变更的企业（1 家）：\n"
        f"  甲（{a.credit_code}）：将新增 2024\n"
    )
    good.write_bytes(xlsx([[a.credit_code, 2024, 1, 1, 1, 1], [a.credit_code, 2023, 1, 1, 1, 1]]))
    call_command("import_figures", str(good), "--user", "gxq")
    good.write_bytes(xlsx([[a.credit_code, 2024, 1, 1, 2, 1], [a.credit_code, 2023, 1, 1, 1, 1]]))
    call_command("import_figures", str(good), "--user", "gxq")
    assert capsys.readouterr().out.splitlines()[-3:] == [
        "已导入：2 行，新增 0 条，更新 1 条，1 条与现有数据相同。",
        "变更的企业（1 家）：",
        f"  甲（{a.credit_code}）：更新 2024",
    ]
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx([[a.credit_code, 2024, 1, 2, 1, 1]]))
    with pytest.raises(CommandError, match="1 行中发现 1 处问题，未写入任何数据") as refused:
        call_command("import_figures", str(bad), "--user", "gxq")
    assert refused.value.returncode == 2
    assert "第2行 [科技人员数]：科技人员数不能超过职工总数。" in capsys.readouterr().err
    bad.write_bytes(xlsx([]))
    with pytest.raises(CommandError, match="文件中没有数据行") as empty:
        call_command("import_figures", str(bad), "--user", "gxq")
    assert empty.value.returncode == 2


def test_formula_cells_are_refused_with_the_cell_named(users, make_enterprise):
    a = make_enterprise("甲", "gxq")
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADER)
    sheet.write_row(1, 0, [a.credit_code, 2024, 100, 30, 4800])
    # The cached value (300) is what a reader without formula support would take.
    sheet.write_formula(1, 5, "=E2/16", None, 300)
    sheet.write_row(2, 0, [a.credit_code, 2023, 100, 30])
    sheet.write_formula(2, 4, "=E2", None, 4800)
    sheet.write(2, 5, 200)
    book.close()
    result = figures_import(actor=users["gxq"], data=buffer.getvalue(), dry_run=False)
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "研发费用（万元）", "F2 是公式单元格，请复制后“选择性粘贴为数值”再导入"),
        (3, "销售收入（万元）", "E3 是公式单元格，请复制后“选择性粘贴为数值”再导入"),
    ]
    assert AnnualFigures.objects.unscoped().count() == 0


def test_a_file_with_only_the_header_is_refused(users):
    with pytest.raises(ImportFileError, match="^文件中没有数据行：表头下方至少需要一行数据。$"):
        figures_import(actor=users["gxq"], data=xlsx([]), dry_run=False)
    # Blank rows under the header are no data either.
    with pytest.raises(ImportFileError, match="^文件中没有数据行"):
        figures_import(actor=users["gxq"], data=xlsx([["", None, ""]]), dry_run=False)


def test_a_wrong_check_digit_is_reported_as_such(users, make_enterprise):
    a = make_enterprise("甲", "gxq")
    wrong = a.credit_code[:-1] + ("1" if a.credit_code[-1] != "1" else "2")
    data = xlsx([[wrong, 2024, 1, 1, 1, 1], ["9132041", 2024, 1, 1, 1, 1]])
    result = figures_import(actor=users["gxq"], data=data, dry_run=True)
    assert [(e.row, e.message) for e in result.errors] == [
        (2, f"{wrong}：统一社会信用代码校验位错误，请核对最后一位。"),
        (3, "9132041：统一社会信用代码应为18位，当前为7位。"),
    ]


def test_the_result_names_the_enterprises_and_years_that_change(users, make_enterprise):
    a = make_enterprise("甲", "gxq")
    b = make_enterprise("乙", "gxq", revenue=100, year=2024)
    data = xlsx(
        [
            [b.credit_code, 2024, None, None, 100, None],  # same as stored: no change
            [a.credit_code, 2024, 1, 1, 1, 1],
            [b.credit_code, 2023, 1, 1, 1, 1],
            [a.credit_code, 2022, 1, 1, 1, 1],
        ]
    )
    result = figures_import(actor=users["gxq"], data=data, dry_run=True)
    assert (result.created, result.updated, result.unchanged) == (3, 0, 1)
    assert [
        (c.name, c.credit_code, c.created_years, c.updated_years) for c in result.enterprises
    ] == [
        ("甲", a.credit_code, [2022, 2024], []),
        ("乙", b.credit_code, [2023], []),
    ]
    changed = xlsx([[b.credit_code, 2024, None, None, 120, None]])
    result = figures_import(actor=users["gxq"], data=changed, dry_run=True)
    assert [(c.name, c.created_years, c.updated_years) for c in result.enterprises] == [
        ("乙", [], [2024])
    ]
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)


def _checked_form(content: str) -> dict[str, str]:
    import re

    fields = dict(re.findall(r'name="(mode|checked_job|digest)" value="([^"]*)"', content))
    assert fields["mode"] == "commit"
    return fields


def test_commit_after_a_dry_run_uses_the_checked_file(login, users, make_enterprise):
    a = make_enterprise("甲", "gxq")
    client = login(users["gxq"])
    upload = io.BytesIO(xlsx([[a.credit_code, 2024, 1, 1, 1, 1]]))
    upload.name = "年度数据.xlsx"
    check = client.post("/enterprises/import/", {"mode": "check", "file": upload}, follow=True)
    content = check.content.decode()
    assert "正式导入刚才校验的文件（年度数据.xlsx）" in content
    assert "将变更的企业（1 家）" in content
    # The file is tied to the user who checked it: even the administrator cannot commit it.
    refused = login(users["admin"]).post("/enterprises/import/", _checked_form(content))
    assert "只能正式导入您本人试导入且校验通过的文件。" in refused.content.decode()
    assert AnnualFigures.objects.unscoped().count() == 0
    client = login(users["gxq"])
    done = client.post("/enterprises/import/", _checked_form(content))
    assert done.status_code == 302
    assert AnnualFigures.objects.unscoped().get(enterprise=a, year=2024).revenue == Decimal("1")
    page = client.get(done.url).content.decode()
    assert page.count("已导入 1 行") == 1
    assert "已导入 1 行：新增 1 条、更新 0 条年度数据。" in page
    assert (
        f'<a href="/enterprises/{a.pk}/">甲</a></td><td class="font-monospace">{a.credit_code}'
        in page
    )
    # The checked file is used up: posting it again writes nothing more and says why.
    again = client.post("/enterprises/import/", _checked_form(content))
    assert "该文件已正式导入过；如需再次导入，请重新选择文件并试导入。" in again.content.decode()


def test_a_checked_file_that_expired_or_changed_is_refused(login, users, make_enterprise):
    import datetime as dt

    from xinzhi.jobs.models import Job

    a = make_enterprise("甲", "gxq")
    client = login(users["gxq"])
    data = xlsx([[a.credit_code, 2024, 1, 1, 1, 1]])
    check = client.post("/enterprises/import/", {"mode": "check", "file": io.BytesIO(data)})
    form = _checked_form(client.get(check.url).content.decode())
    changed = client.post("/enterprises/import/", {**form, "digest": "0" * 64}).content.decode()
    assert "试导入后文件已发生变化，未写入任何数据；请重新选择文件并试导入。" in changed
    Job.objects.filter(pk=form["checked_job"]).update(
        finished_at=Job.objects.get(pk=form["checked_job"]).finished_at - dt.timedelta(minutes=31)
    )
    expired = client.post("/enterprises/import/", form).content.decode()
    assert "试导入的文件已过期或未通过校验（保留 30 分钟），请重新选择文件并试导入。" in expired
    assert AnnualFigures.objects.unscoped().count() == 0
    assert Job.objects.count() == 1


def ods(rows: list[list]) -> bytes:
    """A minimal OpenDocument spreadsheet, which calamine reads as readily as .xlsx."""
    import zipfile

    def cell(value: object) -> str:
        if isinstance(value, str):
            return (
                '<table:table-cell office:value-type="string">'
                f"<text:p>{value}</text:p></table:table-cell>"
            )
        return (
            f'<table:table-cell table:formula="of:=1+1" office:value-type="float"'
            f' office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
        )

    body = "".join(f"<table:table-row>{''.join(map(cell, r))}</table:table-row>" for r in rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content'
        ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="S">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
    return buffer.getvalue()


def test_other_spreadsheet_formats_are_refused(users, make_enterprise):
    # Formula cells are found in .xlsx only, so an .ods (whose formulas would pass) is refused.
    a = make_enterprise("甲", "gxq")
    data = ods([HEADER, [a.credit_code, 2024, 1, 1, 1, 1]])
    with pytest.raises(ImportFileError, match="^只支持 .xlsx 格式的 Excel 文件"):
        figures_import(actor=users["gxq"], data=data, dry_run=False)
    assert AnnualFigures.objects.unscoped().count() == 0


def test_formula_cells_are_found_when_cells_carry_no_reference(users, make_enterprise):
    # Some writers leave out r="E5" on cells; the sheet is then parsed to place each formula.
    import re
    import zipfile

    a = make_enterprise("甲", "gxq")
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADER)
    sheet.write_row(1, 0, [a.credit_code, 2024, 100, 30, 4800])
    sheet.write_formula(1, 5, "=E2/16", None, 300)
    book.close()
    source, rewritten = zipfile.ZipFile(buffer), io.BytesIO()
    with zipfile.ZipFile(rewritten, "w") as target:
        for item in source.infolist():
            part = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                part = re.sub(rb'(<c) r="[A-Z]+\d+"', rb"\1", part)
                assert b"<c><f>E2/16</f>" in part
            target.writestr(item, part)
    result = figures_import(actor=users["gxq"], data=rewritten.getvalue(), dry_run=True)
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "研发费用（万元）", "F2 是公式单元格，请复制后“选择性粘贴为数值”再导入"),
    ]


def test_a_late_failing_row_writes_nothing_and_progress_follows_the_chunks(
    users, make_enterprise, monkeypatch, django_capture_on_commit_callbacks
):
    from xinzhi.enterprises import imports

    monkeypatch.setattr(imports, "CHUNK", 2)  # seven rows make four chunks
    firms = [make_enterprise(f"企业{i}", "gxq") for i in range(7)]
    rows = [[f.credit_code, 2024, 100, 30, 4800, 300] for f in firms[:6]]
    rows.append([firms[6].credit_code, 2024, 100, 300, 4800, 300])  # 科技人员 > 职工
    seen = []

    def progress(done: int, writing: bool = False) -> None:
        seen.append((done, writing))

    checked = figures_import(actor=users["gxq"], data=xlsx(rows), dry_run=True, progress=progress)
    assert [(e.row, e.column) for e in checked.errors] == [(8, "科技人员数")]
    assert seen == [(2, False), (4, False), (6, False)]  # a dry run: rows read after each chunk
    seen.clear()
    with django_capture_on_commit_callbacks() as callbacks:
        result = figures_import(
            actor=users["gxq"], data=xlsx(rows), dry_run=False, progress=progress
        )
    assert [(e.row, e.column) for e in result.errors] == [(8, "科技人员数")]
    # The first three chunks were written in the one pass, then rolled back.
    assert (AnnualFigures.objects.unscoped().count(), AuditEvent.all_objects.count()) == (0, 0)
    assert callbacks == []  # nothing changed, so nothing is re-evaluated
    # A commit says "writing" before its one pass (no cancel after that) and once done.
    assert seen == [(0, True), (7, True)]


def test_a_duplicate_in_a_later_chunk_names_the_first_row(users, make_enterprise, monkeypatch):
    from xinzhi.enterprises import imports

    monkeypatch.setattr(imports, "CHUNK", 2)
    a, b = make_enterprise("甲", "gxq"), make_enterprise("乙", "gxq")
    rows = [
        [a.credit_code, 2024],
        [b.credit_code, 2024],
        [b.credit_code, 2023],
        [a.credit_code, 2024],
    ]
    result = figures_import(actor=users["gxq"], data=xlsx(rows), dry_run=True)
    assert [(e.row, e.message) for e in result.errors] == [(5, "与第2行重复（同一企业同一年度）")]


def test_the_enterprise_page_reads_a_compact_import_history(login, users, make_enterprise):
    b = make_enterprise("乙", "gxq", revenue=100, year=2024)
    data = xlsx([[b.credit_code, 2024, None, None, 150.5, None]])
    assert figures_import(actor=users["gxq"], data=data, dry_run=False).ok
    page = login(users["gxq"]).get(f"/enterprises/{b.pk}/").content.decode()
    assert (
        "<td>导入</td><td>2024年度经营数据</td>\n        <td>销售收入</td>"
        '<td class="text-muted">100</td><td>150.5</td>'
    ) in page


def test_the_result_keeps_the_first_changed_enterprises_and_counts_them_all(
    users, make_enterprise, monkeypatch, django_capture_on_commit_callbacks
):
    # Memory must not grow with the file: past KEPT_CHANGES only a flag per enterprise is kept.
    from xinzhi.enterprises import hooks, imports
    from xinzhi.enterprises.jobs import import_summary

    monkeypatch.setattr(imports, "KEPT_CHANGES", 2)
    firms = [make_enterprise(f"企业{i}", "gxq") for i in range(3)]
    rows = [[f.credit_code, 2024, 100, 30, 4800, 300] for f in reversed(firms)]
    rows.append([firms[2].credit_code, 2023, 100, 30, 4800, 300])
    notified = []
    monkeypatch.setattr(hooks, "_listeners", [notified.append])
    with django_capture_on_commit_callbacks(execute=True):
        result = figures_import(actor=users["gxq"], data=xlsx(rows), dry_run=False)
    assert (result.enterprise_count, result.created) == (3, 4)
    assert [(c.name, c.created_years) for c in result.enterprises] == [
        ("企业2", [2023, 2024]),
        ("企业1", [2024]),
    ]
    assert import_summary(result)["enterprise_count"] == 3
    assert notified == [sorted(f.pk for f in firms)]


@pytest.mark.parametrize(
    "cell",
    [
        "3456.5", "0", "-0", "0.004", "0.005", "0.015", "12", " 12 ", "1e3", "1E-2", "1_000",
        "1,000", "-5", "-0.01", "abc", "", "nan", "inf", "-inf", "snan", "1e30", "1e400",
        "99999999999999.99", "99999999999999.995", "100000000000000", "2147483647",
        "2147483648", "100.0", "100.5", "３", None, 12, 12.5, True,
    ],
)  # fmt: skip
def test_the_quick_cell_parsers_agree_with_the_general_ones(cell):
    """Each figure column's fast path gives what `limited(field, parse)` gives, or the same
    refusal (the fast path only takes the plain cells and leaves the rest to it)."""
    from xinzhi.core.limits import limited
    from xinzhi.enterprises.imports import COUNT_FIELDS, SIGNED_FIELDS, figure_columns
    from xinzhi.enterprises.services import FIGURE_FIELDS
    from xinzhi.spreadsheets.importing import parse_count, parse_money, parse_signed_money

    def outcome(parse):  # noqa: ANN001, ANN202
        try:
            value = parse(cell)
        except ValueError as exc:
            return ("refused", str(exc))
        return (type(value), str(value))

    checked = 0
    for column in figure_columns():
        if column.field not in FIGURE_FIELDS:
            continue
        field = AnnualFigures._meta.get_field(column.field)
        general = (
            parse_count
            if column.field in COUNT_FIELDS
            else parse_signed_money
            if column.field in SIGNED_FIELDS
            else parse_money
        )
        assert outcome(column.parse) == outcome(limited(field, general)), column.field
        checked += 1
    assert checked == 14


@pytest.mark.parametrize(
    "cell",
    ["91320412MA1P7WJX2W", "91320412ma1p7wjx2w", " 91320412MA1P7WJX2W ", "9132-0412-MA1P7WJX2W",
     "９１320412MA1P7WJX2W", "91320412MA1P7WJX2", 913204121234567890, None, ""],
)  # fmt: skip
def test_the_quick_credit_code_parser_agrees_with_the_general_one(cell):
    from xinzhi.enterprises.imports import _credit_code
    from xinzhi.enterprises.validators import normalize_credit_code
    from xinzhi.spreadsheets.importing import parse_text

    assert _credit_code(cell) == normalize_credit_code(parse_text(cell)).upper()
