"""Job pages: one page per job (polled by HTMX while it runs), "我的任务", cancel, download."""

from __future__ import annotations

from urllib.parse import quote

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xinzhi.accounts import permissions
from xinzhi.accounts.permissions import rule_required
from xinzhi.core.errors import run_service
from xinzhi.jobs import selectors, services
from xinzhi.jobs.registry import job_kind, startable_kinds


def job_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.jobs_visible_to(request.user), 50).get_page(request.GET.get("page"))
    startable = startable_kinds() if request.user.is_bureau_admin else []
    return render(request, "jobs/job_list.html", {"page": page, "startable": startable})


@require_POST
@rule_required(permissions.is_bureau_admin)
def job_start(request: HttpRequest, kind: str) -> HttpResponse:
    """The bureau admin starts a district-wide job (e.g. 重新评估全部企业) from 我的任务."""
    if kind not in {k.code for k in startable_kinds()}:
        raise Http404("没有这种任务")
    return redirect(services.job_start(owner=request.user, kind=kind))


def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.job_for(user=request.user, pk=pk)
    template = "jobs/job_detail.html"
    if request.htmx and request.htmx.target == "job-status":
        template += "#status"
    context = {
        "job": job,
        "result_template": job_kind(job.kind).result_template if job.finished else "",
        "input_digest": selectors.job_input_digest(job) if job.finished else "",
    }
    return render(request, template, context)


@require_POST
def job_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.job_for(user=request.user, pk=pk)
    run_service(
        request,
        lambda: services.job_cancel(actor=request.user, job=job),
        success="已请求取消任务。",
    )
    return redirect(job)


def job_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.job_for(user=request.user, pk=pk)
    file = selectors.job_result_file(job)
    response = HttpResponse(
        bytes(file.data),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f"attachment; filename=\"export.xlsx\"; filename*=UTF-8''{quote(file.name)}"
    )
    return response
