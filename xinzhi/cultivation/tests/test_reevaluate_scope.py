"""Re-evaluation reads the enterprises that changed, never the id range between them."""

import datetime as dt
import io
import re

import xlsxwriter
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xinzhi.cultivation.models import Evaluation
from xinzhi.cultivation.services import policies_for
from xinzhi.enterprises.imports import figures_import

# Reads whose first column is an enterprise's id: enterprises themselves and their figures.
ID_READS = re.compile(r'^SELECT "enterprises_(enterprise"\."id"|annualfigures"\."enterprise_id")')


def xlsx(rows: list[list]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate([["统一社会信用代码", "年度", "职工总数"], *rows]):
        sheet.write_row(r, 0, row)
    book.close()
    return buffer.getvalue()


def enterprises_read(queries: list[dict]) -> set[int]:
    """The enterprise ids the captured reads of enterprises and figures returned: each such
    query selects the enterprise's id first. Re-running them counts what they really read."""
    ids: set[int] = set()
    with connection.cursor() as cursor:
        for query in queries:
            sql = query["sql"]
            if ID_READS.match(sql):
                cursor.execute(sql)
                ids.update(row[0] for row in cursor.fetchall())
    return ids


def test_a_two_row_import_of_the_first_and_last_enterprise_evaluates_exactly_two(
    users, make_enterprise, django_capture_on_commit_callbacks
):
    everyone = [make_enterprise(f"企业{i}", revenue=1000, year=2024) for i in range(40)]
    first, last = everyone[0], everyone[-1]
    data = xlsx([[first.credit_code, 2024, 120], [last.credit_code, 2024, 130]])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = figures_import(actor=users["admin"], data=data, dry_run=False)
    assert (result.ok, result.updated) == (True, 2)
    with CaptureQueriesContext(connection) as captured:
        for callback in callbacks:
            callback()
    assert enterprises_read(captured.captured_queries) == {first.pk, last.pk}
    evaluated = Evaluation.objects.unscoped().values_list("enterprise_id", flat=True)
    assert sorted(set(evaluated)) == [first.pk, last.pk]
    assert len(evaluated) == 2 * len(policies_for(dt.date.today()))


def test_reevaluate_a_jurisdiction_reads_only_its_enterprises(users, make_enterprise):
    # Every third enterprise is in 西太湖: its ids span the table but are a third of it.
    everyone = [
        make_enterprise(f"企业{i}", "xth" if i % 3 == 0 else "gxq", revenue=1000, year=2024)
        for i in range(30)
    ]
    theirs = {e.pk for e in everyone if e.jurisdiction.code == "xth"}
    with CaptureQueriesContext(connection) as captured:
        call_command("reevaluate", "--jurisdiction", "xth", "--workers", "1", stdout=io.StringIO())
    assert enterprises_read(captured.captured_queries) == theirs
    assert set(Evaluation.objects.unscoped().values_list("enterprise_id", flat=True)) == theirs
