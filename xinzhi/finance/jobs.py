"""科技金融's long work as jobs (后台任务): the bank monthly ledger check and import."""

from __future__ import annotations

import io

from django.urls import reverse
from python_calamine import CalamineWorkbook

from xinzhi.core.exceptions import ApplicationError
from xinzhi.finance import imports, services
from xinzhi.jobs.models import Job
from xinzhi.jobs.registry import JobKind, register_job_kind
from xinzhi.jobs.services import Outcome, Progress, job_input
from xinzhi.spreadsheets.importing import ImportFileError

LEDGER_CHECK = "loan_ledger_check"
LEDGER_IMPORT = "loan_ledger_import"
SHOWN_ERRORS = 300


def _data_rows(data: bytes) -> int:
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    except Exception:  # noqa: BLE001 - the import itself reports an unreadable file
        return 0
    return max(0, sheet.height - 1)


def ledger_summary(result: imports.LedgerImportResult) -> dict:
    return {
        "ok": result.ok,
        "dry_run": result.dry_run,
        "rows": result.rows,
        "loans": len(result.loans),
        "repaid": services.wan(result.repaid),
        "settled": result.settled,
        "overdue": result.overdue,
        "error_count": len(result.errors),
        "errors": [
            {"row": e.row, "column": e.column, "message": e.message}
            for e in result.errors[:SHOWN_ERRORS]
        ],
    }


def run_ledger_import(job: Job, progress: Progress) -> Outcome:
    name, data = job_input(job)
    progress.total(_data_rows(data))
    dry_run = job.kind == LEDGER_CHECK
    try:
        result = imports.ledger_import(
            actor=job.owner, data=data, dry_run=dry_run, progress=progress
        )
    except ImportFileError as exc:
        raise ApplicationError(exc.message) from exc
    summary = ledger_summary(result)
    if not result.ok:
        error = f"共 {result.rows} 行，发现 {len(result.errors)} 处问题，未写入任何数据。"
        return Outcome(summary, error="" if dry_run else error)
    return Outcome(summary, link="" if dry_run else reverse("finance:loan_list"))


def register() -> None:
    template = "finance/job_ledger_import.html"
    register_job_kind(JobKind(LEDGER_CHECK, "银行台账试导入", run_ledger_import, template))
    register_job_kind(JobKind(LEDGER_IMPORT, "银行台账导入", run_ledger_import, template))
