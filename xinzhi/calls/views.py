"""Call engine pages (项目申报与评审): thin views over selectors and services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xinzhi.accounts import permissions
from xinzhi.calls import jobs, selectors, services
from xinzhi.calls.choices import ACTIVE_STATUSES, OPTIONAL_STAGES, Stage
from xinzhi.calls.exports import application_sheets
from xinzhi.calls.forms import (
    ApplicationForm,
    AssignForm,
    AttachmentForm,
    CallEditForm,
    CallForm,
    DecisionForm,
    DeclareRelationForm,
    FormalReviewForm,
    RelationForm,
    RescoreRequestForm,
    ScoreForm,
    StagesForm,
)
from xinzhi.calls.models import Application, Assignment, Attachment, Call
from xinzhi.core.errors import run_service
from xinzhi.jobs.exports import export_as_job
from xinzhi.jobs.services import job_start
from xinzhi.spreadsheets.export import write_workbook, xlsx_response


def _call_or_404(request: HttpRequest, pk: int) -> Call:
    try:
        return selectors.call_get(user=request.user, pk=pk)
    except Call.DoesNotExist as exc:
        raise Http404("申报通知不存在") from exc


def _application_or_404(request: HttpRequest, pk: int) -> Application:
    try:
        return selectors.application_get(user=request.user, pk=pk)
    except Application.DoesNotExist as exc:
        raise Http404("申报不存在或不在您的管辖范围内") from exc


def _review_or_404(request: HttpRequest, pk: int) -> Assignment:
    try:
        return selectors.review_get(user=request.user, pk=pk)
    except Assignment.DoesNotExist as exc:
        raise Http404("评审任务不存在或未分配给您") from exc


def _require_admin(request: HttpRequest) -> None:
    permissions.require(permissions.can_manage_calls(request.user), permissions.ADMIN_ONLY_MESSAGE)


def _run(request: HttpRequest, action: Callable[[], Any], success: str) -> bool:
    return bool(run_service(request, action, success=success))


def _form_service(request: HttpRequest, form: Any, action: Callable[[], Any]) -> bool:
    return bool(run_service(request, action, form=form))


# --- calls ---------------------------------------------------------------------------------


def call_list(request: HttpRequest) -> HttpResponse:
    calls = selectors.call_list(user=request.user)
    return render(request, "calls/call_list.html", {"calls": calls})


def call_create(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.CALL_FIELDS}
        result: dict[str, Call] = {}

        def create() -> None:
            result["call"] = services.call_create(
                actor=request.user,
                data=data,
                categories=form.cleaned_data["categories_text"],
                stages=form.cleaned_data["stages"],
            )

        if _form_service(request, form, create):
            messages.success(request, "申报通知已创建（未发布）。")
            return redirect(result["call"])
    return render(request, "calls/call_form.html", {"form": form})


def call_edit(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call_or_404(request, pk)
    _require_admin(request)
    form = CallEditForm(request.POST or None, instance=call)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.CALL_UPDATE_FIELDS}

        def update() -> None:
            services.call_update(
                actor=request.user,
                call=call,
                data=data,
                expected_version=form.cleaned_data["version"],
            )

        if _form_service(request, form, update):
            messages.success(request, "申报通知已保存。")
            return redirect(call)
    return render(request, "calls/call_form.html", {"form": form, "call": call})


def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call_or_404(request, pk)
    context = {
        "call": call,
        "stats": selectors.call_stats(user=request.user, call=call),
        "stage_steps": [
            (s, Stage(s).label, call.stage_enabled(s)) for s in Stage.values if s != Stage.DRAFT
        ],
        "optional_stages": OPTIONAL_STAGES,
        "accepting_error": services.call_accepting_error(call),
        "can_apply": permissions.can_apply(request.user),
        "my_reviews": selectors.review_list(user=request.user).filter(application__call=call)[:50]
        if permissions.is_reviewer(request.user)
        else [],
    }
    return render(request, "calls/call_detail.html", context)


@require_POST
def call_stages(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call_or_404(request, pk)
    _require_admin(request)
    form = StagesForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.call_set_stages(
                actor=request.user, call=call, stages=form.cleaned_data["stages"]
            ),
            "已更新启用的阶段。",
        )
    return redirect(call)


def _call_action(service: Callable[..., Any], success: str) -> Callable:
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        call = _call_or_404(request, pk)
        _require_admin(request)
        _run(request, lambda: service(actor=request.user, call=call), success)
        return redirect(call)

    return view


call_open = _call_action(services.call_open, "申报通知已发布，开始接受申报。")
call_advance = _call_action(services.call_advance, "已进入下一阶段。")
call_close = _call_action(services.call_close, "已截止申报。")
call_publish = _call_action(services.call_publish, "评审结果已发布。")


@require_POST
def call_draw(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call_or_404(request, pk)
    _require_admin(request)
    outcome: dict[str, services.DrawResult] = {}

    def draw() -> None:
        outcome["result"] = services.reviewers_draw(actor=request.user, call=call)

    if _run(request, draw, "随机抽取完成。"):
        result = outcome["result"]
        messages.info(
            request, f"本次分配 {result.assigned} 人次，因回避跳过 {result.skipped} 人次。"
        )
        if result.short:
            shown = "、".join(result.short[:10]) + ("…" if len(result.short) > 10 else "")
            messages.warning(
                request,
                f"{len(result.short)} 项申报的匹配专家不足：{shown}",
            )
    return redirect("calls:applications", pk=call.pk)


def _list_page(request: HttpRequest, queryset: Any) -> Any:
    return Paginator(queryset, 50).get_page(request.GET.get("page"))


def application_list(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call_or_404(request, pk)
    filterset = selectors.application_filterset(user=request.user, call=call, params=request.GET)
    page = _list_page(request, filterset.qs)
    selectors.applicant_view(request.user, page.object_list)
    context = {"call": call, "filterset": filterset, "page": page}
    template = "calls/application_list.html"
    if request.htmx and request.htmx.target == "results":
        template += "#results"
    return render(request, template, context)


def ranking(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call_or_404(request, pk)
    permissions.require(permissions.sees_ranking(request.user))
    filterset = selectors.application_filterset(
        user=request.user, call=call, params=request.GET, default_sort="rank"
    )
    queryset = selectors.with_scores(
        selectors.ranking(user=request.user, call=call, params=request.GET)
    )
    page = _list_page(request, queryset)
    context = {
        "call": call,
        "filterset": filterset,
        "page": page,
        "criteria": selectors.criteria_for(call),
        "decision_form": DecisionForm(call=call),
        "can_decide": permissions.can_manage_calls(request.user) and services.decisions_open(call),
    }
    template = "calls/ranking.html"
    if request.htmx and request.htmx.target == "results":
        template += "#results"
    return render(request, template, context)


def application_export(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call_or_404(request, pk)
    permissions.require(permissions.sees_ranking(request.user))
    queryset = selectors.with_scores(
        selectors.application_list(user=request.user, call=call, params=request.GET)
    )
    if export_as_job(queryset.count()):
        # Large lists are written by the worker: the page answers at once, the file follows.
        params = {"call": call.pk, "query": request.GET.urlencode()}
        return redirect(job_start(owner=request.user, kind=jobs.APPLICATION_EXPORT, params=params))
    criteria = selectors.criteria_for(call)
    sheets = application_sheets(
        call=call,
        criteria=criteria,
        rows=list(queryset),
        show_names=permissions.sees_reviewer_names(request.user),
    )
    return xlsx_response(
        write_workbook(sheets), f"{call.name}_申报与评分_{timezone.localdate():%Y%m%d}.xlsx"
    )


def results_notice(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call_or_404(request, pk)
    notice = selectors.results_notice(call=call)
    return render(request, "calls/results.html", {"call": call, "notice": notice})


# --- applications --------------------------------------------------------------------------


def application_create(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call_or_404(request, pk)
    permissions.require(permissions.can_apply(request.user), "当前角色不能填报申报")
    categories = list(call.categories.all())
    category = next(
        (c for c in categories if str(c.pk) == request.GET.get("category", "")),
        categories[0] if len(categories) == 1 else None,
    )
    accepting_error = services.call_accepting_error(call)
    form = None
    if category is not None and accepting_error is None:
        form = ApplicationForm(request.POST or None, user=request.user, category=category)
        if request.method == "POST" and form.is_valid():
            result: dict[str, Application] = {}
            enterprise = form.cleaned_data.get("enterprise")
            lead = form.cleaned_data.get("lead")
            if permissions.is_enterprise_user(request.user):
                enterprise = request.user.enterprise

            def create() -> None:
                result["app"] = services.application_create(
                    actor=request.user,
                    call=call,
                    category=category,
                    enterprise=enterprise,
                    lead=lead,
                    data=form.data_for_service(),
                )

            if _form_service(request, form, create):
                messages.success(request, "申报书已保存为草稿，请上传附件后提交。")
                return redirect(result["app"])
    elif request.method == "POST" and accepting_error:
        messages.error(request, accepting_error)
    context = {
        "call": call,
        "categories": categories,
        "category": category,
        "form": form,
        "accepting_error": accepting_error,
    }
    return render(request, "calls/application_form.html", context)


def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
    user = request.user
    selectors.applicant_view(user, [application])
    call = application.call
    assignments = selectors.application_assignments(user=user, application=application)
    is_bureau = permissions.sees_ranking(user)
    criteria = selectors.criteria_for(call)
    context = {
        "application": application,
        "call": call,
        "attachments": selectors.application_attachments(user=user, application=application),
        "assignments": assignments,
        "show_reviewers": is_bureau,
        "conflicts": selectors.application_conflicts(user=user, application=application)
        if is_bureau
        else [],
        "criteria": criteria,
        "score_rows": selectors.score_rows(assignments, criteria) if is_bureau else [],
        "can_edit": permissions.can_apply(user) and services.application_editable(application),
        "can_withdraw": permissions.can_apply(user)
        and services.application_withdrawable(application),
        "accepting_error": services.call_accepting_error(call),
        "attachment_form": AttachmentForm(),
        "formal_form": FormalReviewForm(),
        "assign_form": AssignForm() if permissions.can_manage_calls(user) else None,
        "decision_form": DecisionForm(call=call),
        "show_result": permissions.sees_unpublished_decisions(user, call),
    }
    return render(request, "calls/application_detail.html", context)


def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
    permissions.require(permissions.can_apply(request.user), "当前角色不能修改申报")
    form = ApplicationForm(
        request.POST or None,
        user=request.user,
        category=application.category,
        instance=application,
    )
    if request.method == "POST" and form.is_valid():

        def update() -> None:
            services.application_update(
                actor=request.user,
                application=application,
                data=form.data_for_service(),
                expected_version=form.cleaned_data.get("version") or 0,
            )

        if _form_service(request, form, update):
            messages.success(request, "申报书已保存。")
            return redirect(application)
    context = {
        "call": application.call,
        "category": application.category,
        "application": application,
        "form": form,
        "accepting_error": services.call_accepting_error(application.call),
    }
    return render(request, "calls/application_form.html", context)


def _application_action(service: Callable[..., Any], success: str) -> Callable:
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        application = _application_or_404(request, pk)
        _run(request, lambda: service(actor=request.user, application=application), success)
        return redirect(application)

    return view


application_submit = _application_action(services.application_submit, "申报已提交。")
application_withdraw = _application_action(
    services.application_withdraw, "申报已撤回；截止前可修改后重新提交。"
)


@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        _run(
            request,
            lambda: services.attachment_add(
                actor=request.user, application=application, upload=form.cleaned_data["file"]
            ),
            "附件已上传。",
        )
    else:
        messages.error(request, "请选择要上传的文件。")
    return redirect(application)


def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    try:
        attachment = selectors.attachment_get(user=request.user, pk=pk)
    except Attachment.DoesNotExist as exc:
        raise Http404("附件不存在或不在您的管辖范围内") from exc
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


@require_POST
def application_formal(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
    _require_admin(request)
    form = FormalReviewForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.application_formal_review(
                actor=request.user,
                application=application,
                passed=form.cleaned_data["passed"],
                note=form.cleaned_data["note"],
            ),
            "形式审查结论已记录。",
        )
    else:
        messages.error(request, "请选择形式审查结论。")
    return redirect(application)


@require_POST
def application_assign(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
    _require_admin(request)
    form = AssignForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.assignment_create(
                actor=request.user, application=application, reviewer=form.cleaned_data["reviewer"]
            ),
            "已指定评审专家。",
        )
    else:
        messages.error(request, "请选择评审专家。")
    return redirect(application)


@require_POST
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
    _require_admin(request)
    form = DecisionForm(request.POST, call=application.call)
    if form.is_valid():
        _run(
            request,
            lambda: services.application_decide(
                actor=request.user,
                application=application,
                approved=form.cleaned_data["approved"],
                certificate_no=form.cleaned_data.get("certificate_no") or "",
                grant_amount_yuan=form.cleaned_data.get("grant_amount_yuan"),
                note=form.cleaned_data["note"],
            ),
            f"已对 {application.number} 作出决定。",
        )
    else:
        messages.error(
            request, "决定填写有误：" + "；".join(e for errs in form.errors.values() for e in errs)
        )
    target = request.POST.get("next", "")
    if target.startswith("/calls/"):
        return redirect(target)
    return redirect(application)


# --- reviewers -----------------------------------------------------------------------------


def review_list(request: HttpRequest) -> HttpResponse:
    assignments = _list_page(request, selectors.review_list(user=request.user))
    return render(request, "calls/review_list.html", {"page": assignments})


def review_score(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _review_or_404(request, pk)
    application = assignment.application
    criteria = selectors.criteria_for(application.call)
    may_score = permissions.can_score(request.user, assignment)
    scoring_open = services.scoring_open(application)
    form = None
    # A first score, or one new version after the admin approved a re-score request.
    if may_score and (not assignment.is_scored or assignment.rescore_approved):
        form = ScoreForm(request.POST or None, criteria=criteria, rescore=False)
        if request.method == "POST" and form.is_valid():

            def submit() -> None:
                services.score_submit(
                    actor=request.user,
                    assignment=assignment,
                    items=form.items(),
                    comment=form.cleaned_data["comment"],
                )

            if _form_service(request, form, submit):
                messages.success(request, "评分已提交。" + services.RESCORE_RULE)
                return redirect("calls:review", pk=assignment.pk)
    elif request.method == "POST":
        raise PermissionDenied(
            services.RESCORE_RULE if may_score else "只有被分配的评审专家本人可以评分"
        )
    history = selectors.score_history(user=request.user, assignment=assignment)
    context = {
        "assignment": assignment,
        "application": application,
        "call": application.call,
        "criteria": criteria,
        "form": form,
        "history": history,
        "current": next((s for s in history if s.pk == assignment.current_score_id), None),
        "attachments": selectors.application_attachments(
            user=request.user, application=application
        ),
        "scoring_open": scoring_open,
        "rescore_rule": services.RESCORE_RULE,
        "rescore_form": RescoreRequestForm()
        if may_score
        and scoring_open
        and assignment.is_scored
        and assignment.rescore_requested_at is None
        else None,
        "can_approve_rescore": permissions.can_manage_calls(request.user)
        and scoring_open
        and assignment.rescore_pending,
        "declare_form": DeclareRelationForm()
        if may_score and application.enterprise_id and application.status in ACTIVE_STATUSES
        else None,
    }
    return render(request, "calls/review_score.html", context)


@require_POST
def review_rescore_request(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _review_or_404(request, pk)
    form = RescoreRequestForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.rescore_request(
                actor=request.user, assignment=assignment, reason=form.cleaned_data["reason"]
            ),
            "已申请重新评分，待区管理员批准后可提交新版本。",
        )
    else:
        messages.error(request, "请填写重新评分的理由。")
    return redirect("calls:review", pk=assignment.pk)


@require_POST
def review_rescore_approve(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _review_or_404(request, pk)
    _require_admin(request)
    _run(
        request,
        lambda: services.rescore_approve(actor=request.user, assignment=assignment),
        "已批准重新评分。",
    )
    return redirect(assignment.application)


@require_POST
def review_declare(request: HttpRequest, pk: int) -> HttpResponse:
    """The expert declares a relation with the applicant: the task is withdrawn at once."""
    assignment = _review_or_404(request, pk)
    permissions.require(
        permissions.can_score(request.user, assignment), "只有被分配的评审专家本人可以声明"
    )
    application = assignment.application
    form = DeclareRelationForm(request.POST)
    if form.is_valid() and application.enterprise_id:
        _run(
            request,
            lambda: services.reviewer_relation_declare(
                actor=request.user,
                reviewer=request.user,
                enterprise=application.enterprise,
                relation=form.cleaned_data["relation"],
            ),
            "已登记利益关系，该评审任务已撤回。",
        )
    else:
        messages.error(request, "请说明利益关系。")
    return redirect("calls:reviews")


def expert_pool(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = RelationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def declare() -> services.DeclarationResult:
            return services.reviewer_relation_declare(
                actor=request.user,
                reviewer=form.cleaned_data["reviewer"],
                enterprise=form.cleaned_data["credit_code"],
                relation=form.cleaned_data["relation"],
            )

        outcome = run_service(request, declare, form=form)
        if outcome:
            withdrawn = len(outcome.value.withdrawn)
            messages.success(
                request,
                "已登记利益关系"
                + (f"，撤回{withdrawn}项评审任务（可重新抽取补足）。" if withdrawn else "。"),
            )
            return redirect("calls:experts")
    page = _list_page(request, selectors.reviewer_pool(user=request.user))
    relations = selectors.reviewer_relations(user=request.user)
    context = {"page": page, "relations": relations, "relation_form": form}
    return render(request, "calls/expert_pool.html", context)
