"""创新生态 pages: thin views over selectors and services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xinzhi.accounts import permissions
from xinzhi.accounts.permissions import rule_required
from xinzhi.core.errors import run_service
from xinzhi.ecosystem import jobs, selectors, services
from xinzhi.ecosystem.choices import INCUBATING_KINDS, CarrierKind, ListingStage, TaskStatus
from xinzhi.ecosystem.forms import (
    CarrierForm,
    CompetitionForm,
    EntryForm,
    LinkLeadForm,
    ListingForm,
    ListingMoveForm,
    MemberForm,
    MilestoneForm,
    PushLeadForm,
    ResultForm,
    SpellCloseForm,
    SpellForm,
    TaskAdvanceForm,
    TaskForm,
)
from xinzhi.ecosystem.models import (
    Carrier,
    ChallengeTask,
    Competition,
    CompetitionEntry,
    IncubationSpell,
    ListingCandidate,
    TaskMilestone,
)

see = rule_required(permissions.can_see_ecosystem)
manage = rule_required(permissions.can_manage_ecosystem, permissions.ADMIN_ONLY_MESSAGE)


def _get(getter: Callable[[], Model], message: str) -> Any:
    try:
        return getter()
    except (
        Carrier.DoesNotExist,
        ChallengeTask.DoesNotExist,
        Competition.DoesNotExist,
        CompetitionEntry.DoesNotExist,
        ListingCandidate.DoesNotExist,
        IncubationSpell.DoesNotExist,
        TaskMilestone.DoesNotExist,
    ) as exc:
        raise Http404(message) from exc


def _carrier(request: HttpRequest, pk: int) -> Carrier:
    return _get(lambda: selectors.carrier_get(user=request.user, pk=pk), "创新载体不存在")


def _entry(request: HttpRequest, pk: int) -> CompetitionEntry:
    return _get(
        lambda: selectors.entry_get(user=request.user, pk=pk),
        "参赛项目不存在或不在您的管辖范围内",
    )


def _candidate(request: HttpRequest, pk: int) -> ListingCandidate:
    return _get(
        lambda: selectors.listing_get(user=request.user, pk=pk),
        "上市后备企业不存在或不在您的管辖范围内",
    )


def _form_page(
    request: HttpRequest, form: Any, heading: str, back: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "ecosystem/form.html",
        {"form": form, "heading": heading, "back": back, **extra},
    )


def _list_page(request: HttpRequest, template: str, filterset: Any, **extra: Any) -> HttpResponse:
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    if request.htmx and request.htmx.target == "results":
        template += "#results"
    return render(request, template, {"filterset": filterset, "page": page, **extra})


def _year(request: HttpRequest) -> int:
    value = request.GET.get("year", "")
    return (
        int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else timezone.localdate().year
    )


# ---------------------------------------------------------------- overview


@see
def overview(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    context = selectors.overview(user=request.user, year=year)
    this_year = timezone.localdate().year
    context.update(year=year, years=range(this_year, this_year - 5, -1))
    return render(request, "ecosystem/overview.html", context)


# ---------------------------------------------------------------- carriers


@see
def carrier_list(request: HttpRequest) -> HttpResponse:
    filterset = selectors.carrier_filterset(user=request.user, params=request.GET)
    return _list_page(request, "ecosystem/carrier_list.html", filterset)


@see
def carrier_export(request: HttpRequest) -> HttpResponse:
    return jobs.CARRIER_EXPORT.response(request)


@manage
def carrier_create(request: HttpRequest) -> HttpResponse:
    form = CarrierForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.CARRIER_FIELDS}
        done = run_service(
            request,
            lambda: services.carrier_create(actor=request.user, data=data),
            success="创新载体已登记。",
            form=form,
        )
        if done:
            return redirect(done.value.get_absolute_url())
    return _form_page(request, form, "登记创新载体", "ecosystem:carrier_list")


@see
def carrier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    carrier = _carrier(request, pk)
    pushes = selectors.carrier_pushes(user=request.user, carrier=carrier)
    context = {
        "carrier": carrier,
        "pushes": pushes,
        "push_stages": selectors.push_stages(pushes),
        "spells": selectors.carrier_spells(user=request.user, carrier=carrier),
        "members": selectors.carrier_members(carrier=carrier),
        "projects": selectors.carrier_projects(user=request.user, carrier=carrier),
        "tasks": selectors.task_list(carrier=carrier),
        "incubating": carrier.kind in INCUBATING_KINDS,
        "consortium": carrier.kind == CarrierKind.CONSORTIUM,
        "close_form": SpellCloseForm(initial={"left_on": timezone.localdate()}),
    }
    return render(request, "ecosystem/carrier_detail.html", context)


@manage
def carrier_edit(request: HttpRequest, pk: int) -> HttpResponse:
    carrier = _carrier(request, pk)
    form = CarrierForm(request.POST or None, instance=carrier, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.CARRIER_FIELDS}
        done = run_service(
            request,
            lambda: services.carrier_update(
                actor=request.user,
                carrier=carrier,
                data=data,
                expected_version=form.cleaned_data["version"],
            ),
            success="已保存。",
            form=form,
        )
        if done:
            return redirect(carrier.get_absolute_url())
    return _form_page(request, form, f"修改：{carrier.name}", "ecosystem:carrier_list")


@see
def carrier_push(request: HttpRequest, pk: int) -> HttpResponse:
    """推送项目: a project the carrier pushes becomes a 招商 lead linked to the carrier."""
    carrier = _carrier(request, pk)
    permissions.require_editor(request.user)
    form = PushLeadForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.carrier_push_lead(
                actor=request.user,
                carrier=carrier,
                data=form.lead_data(),
                pushed_on=form.cleaned_data["pushed_on"],
                note=form.cleaned_data["note"],
            ),
            success="推送项目已进入招商线索。",
            form=form,
        )
        if done:
            return redirect(carrier.get_absolute_url())
    return _form_page(
        request, form, f"{carrier.name}：登记推送项目", "ecosystem:carrier_list", carrier=carrier
    )


@see
def carrier_link(request: HttpRequest, pk: int) -> HttpResponse:
    """关联已有招商项目: record that an existing lead came from this carrier."""
    carrier = _carrier(request, pk)
    permissions.require_editor(request.user)
    form = LinkLeadForm(request.POST or None, leads=selectors.pushable_leads(user=request.user))
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.carrier_link_lead(
                actor=request.user,
                carrier=carrier,
                lead=form.cleaned_data["lead"],
                note=form.cleaned_data["note"],
            ),
            success="已关联。",
            form=form,
        )
        if done:
            return redirect(carrier.get_absolute_url())
    return _form_page(
        request,
        form,
        f"{carrier.name}：关联已有招商项目",
        "ecosystem:carrier_list",
        carrier=carrier,
    )


@see
def spell_add(request: HttpRequest, pk: int) -> HttpResponse:
    carrier = _carrier(request, pk)
    permissions.require_editor(request.user)
    form = SpellForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.spell_start(actor=request.user, carrier=carrier, **form.cleaned_data),
            success="入孵登记完成。",
            form=form,
        )
        if done:
            return redirect(carrier.get_absolute_url())
    return _form_page(
        request, form, f"{carrier.name}：入孵登记", "ecosystem:carrier_list", carrier=carrier
    )


@require_POST
def spell_close(request: HttpRequest, pk: int) -> HttpResponse:
    spell = _get(
        lambda: (
            IncubationSpell.objects.visible_to(request.user).select_related("carrier").get(pk=pk)
        ),
        "在孵记录不存在或不在您的管辖范围内",
    )
    permissions.require_editor(request.user)
    form = SpellCloseForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            lambda: services.spell_close(actor=request.user, spell=spell, **form.cleaned_data),
            success="已登记。",
        )
    else:
        messages.error(request, "请选择结果并填写日期。")
    return redirect(spell.carrier.get_absolute_url())


@manage
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    carrier = _carrier(request, pk)
    form = MemberForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.MEMBER_FIELDS}
        done = run_service(
            request,
            lambda: services.member_add(actor=request.user, carrier=carrier, data=data),
            success="成员单位已添加。",
            form=form,
        )
        if done:
            return redirect(carrier.get_absolute_url())
    return _form_page(
        request, form, f"{carrier.name}：添加成员单位", "ecosystem:carrier_list", carrier=carrier
    )


# ---------------------------------------------------------------- 揭榜挂帅


@see
def task_list(request: HttpRequest) -> HttpResponse:
    return render(request, "ecosystem/task_list.html", {"tasks": selectors.task_list()})


@manage
def task_create(request: HttpRequest) -> HttpResponse:
    form = TaskForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.TASK_FIELDS}
        done = run_service(
            request,
            lambda: services.task_create(actor=request.user, data=data),
            success="榜单已发布。",
            form=form,
        )
        if done:
            return redirect(done.value.get_absolute_url())
    return _form_page(request, form, "发布揭榜挂帅榜单", "ecosystem:task_list")


@see
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = _get(lambda: selectors.task_get(pk=pk), "榜单不存在")
    later = [s for s in TaskStatus if s != task.status]
    context = {
        "task": task,
        "milestones": list(task.milestones.all()),
        "advance_form": TaskAdvanceForm(initial={"version": task.version}),
        "statuses": later,
        "milestone_form": MilestoneForm(),
        "today": timezone.localdate(),
    }
    return render(request, "ecosystem/task_detail.html", context)


@require_POST
@manage
def task_advance(request: HttpRequest, pk: int) -> HttpResponse:
    task = _get(lambda: selectors.task_get(pk=pk), "榜单不存在")
    form = TaskAdvanceForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            lambda: services.task_advance(
                actor=request.user,
                task=task,
                status=form.cleaned_data["status"],
                team=form.cleaned_data["team"],
                on=form.cleaned_data["on"],
                expected_version=form.cleaned_data["version"],
            ),
            success="榜单状态已更新。",
        )
    else:
        messages.error(request, "请选择要推进到的状态。")
    return redirect(task.get_absolute_url())


@require_POST
@manage
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    task = _get(lambda: selectors.task_get(pk=pk), "榜单不存在")
    form = MilestoneForm(request.POST)
    if form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.MILESTONE_FIELDS}
        run_service(
            request,
            lambda: services.milestone_add(actor=request.user, task=task, data=data),
            success="节点已添加。",
        )
    else:
        messages.error(request, "请填写节点名称和计划日期。")
    return redirect(task.get_absolute_url())


@require_POST
@manage
def milestone_done(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = _get(lambda: TaskMilestone.objects.select_related("task").get(pk=pk), "节点不存在")
    run_service(
        request,
        lambda: services.milestone_done(
            actor=request.user, milestone=milestone, on=timezone.localdate()
        ),
        success="节点已完成。",
    )
    return redirect(milestone.task.get_absolute_url())


# ---------------------------------------------------------------- competitions


@see
def competition_list(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    context = {
        "competitions": selectors.competitions_with_counts(user=request.user),
        "awards": selectors.award_counts(user=request.user, year=year),
        "rankings": selectors.city_rankings(year=year),
        "year": year,
        "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
    }
    return render(request, "ecosystem/competition_list.html", context)


@manage
def competition_create(request: HttpRequest) -> HttpResponse:
    form = CompetitionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.COMPETITION_FIELDS}
        done = run_service(
            request,
            lambda: services.competition_create(actor=request.user, data=data),
            success="大赛已登记。",
            form=form,
        )
        if done:
            return redirect(done.value.get_absolute_url())
    return _form_page(request, form, "登记大赛", "ecosystem:competition_list")


@see
def competition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    competition = _get(lambda: selectors.competition_get(user=request.user, pk=pk), "大赛不存在")
    entries = selectors.entry_list(user=request.user, params={"competition": str(pk)})
    context = {
        "competition": competition,
        "entries": entries,
        "by_jurisdiction": selectors.competition_by_jurisdiction(
            user=request.user, competition=competition
        ),
    }
    return render(request, "ecosystem/competition_detail.html", context)


@manage
def competition_edit(request: HttpRequest, pk: int) -> HttpResponse:
    competition = _get(lambda: Competition.objects.get(pk=pk), "大赛不存在")
    form = CompetitionForm(request.POST or None, instance=competition, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.COMPETITION_FIELDS}
        done = run_service(
            request,
            lambda: services.competition_update(
                actor=request.user,
                competition=competition,
                data=data,
                expected_version=form.cleaned_data["version"],
            ),
            success="已保存。",
            form=form,
        )
        if done:
            return redirect(competition.get_absolute_url())
    return _form_page(request, form, f"修改：{competition}", "ecosystem:competition_list")


@see
def entry_list(request: HttpRequest) -> HttpResponse:
    filterset = selectors.entry_filterset(user=request.user, params=request.GET)
    return _list_page(request, "ecosystem/entry_list.html", filterset)


@see
def entry_export(request: HttpRequest) -> HttpResponse:
    return jobs.ENTRY_EXPORT.response(request)


@see
def entry_create(request: HttpRequest) -> HttpResponse:
    permissions.require_editor(request.user)
    initial = {"competition": request.GET.get("competition")}
    form = EntryForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        data["jurisdiction"] = data.get("jurisdiction") or None
        if data["jurisdiction"] is None:
            data.pop("jurisdiction")
        done = run_service(
            request,
            lambda: services.entry_create(actor=request.user, data=data),
            success="参赛项目已登记。",
            form=form,
        )
        if done:
            return redirect(done.value.get_absolute_url())
    return _form_page(request, form, "登记参赛项目", "ecosystem:entry_list")


def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk)
    permissions.require(permissions.can_see_ecosystem(request.user))
    return render(request, "ecosystem/entry_detail.html", {"entry": entry})


def entry_result(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk)
    permissions.require_editor(request.user)
    form = ResultForm(request.POST or None, instance=entry, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.RESULT_FIELDS}
        done = run_service(
            request,
            lambda: services.entry_result(
                actor=request.user,
                entry=entry,
                data=data,
                expected_version=form.cleaned_data["version"],
            ),
            success="成绩已录入。",
            form=form,
        )
        if done:
            return redirect(entry.get_absolute_url())
    return _form_page(request, form, f"录入成绩：{entry.project_name}", "ecosystem:entry_list")


@require_POST
def entry_to_lead(request: HttpRequest, pk: int) -> HttpResponse:
    """转为招商项目: one click turns a promising outside entry into a lead."""
    entry = _entry(request, pk)
    permissions.require_editor(request.user)
    done = run_service(
        request,
        lambda: services.entry_to_lead(actor=request.user, entry=entry),
        success=f"“{entry.project_name}”已转为招商项目（线索阶段）。",
    )
    if done:
        return redirect(done.value.get_absolute_url())
    return redirect(entry.get_absolute_url())


# ---------------------------------------------------------------- listing reserve


@see
def listing_board(request: HttpRequest) -> HttpResponse:
    context = {
        "filterset": selectors.listing_filterset(user=request.user, params=request.GET),
        "columns": selectors.listing_board(user=request.user, params=request.GET),
        "counts": selectors.listing_counts(user=request.user),
    }
    return render(request, "ecosystem/listing_board.html", context)


@see
def listing_list(request: HttpRequest) -> HttpResponse:
    filterset = selectors.listing_filterset(user=request.user, params=request.GET)
    return _list_page(
        request,
        "ecosystem/listing_list.html",
        filterset,
        counts=selectors.listing_counts(user=request.user),
    )


@see
def listing_export(request: HttpRequest) -> HttpResponse:
    return jobs.LISTING_EXPORT.response(request)


@see
def listing_create(request: HttpRequest) -> HttpResponse:
    permissions.require_editor(request.user)
    form = ListingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.LISTING_FIELDS}
        done = run_service(
            request,
            lambda: services.listing_add(
                actor=request.user, enterprise=form.cleaned_data["enterprise"], data=data
            ),
            success="已纳入上市后备库。",
            form=form,
        )
        if done:
            return redirect(done.value.get_absolute_url())
    return _form_page(request, form, "上市后备入库", "ecosystem:listing_board")


def listing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _candidate(request, pk)
    permissions.require(permissions.can_see_ecosystem(request.user))
    context = {
        "candidate": candidate,
        "changes": selectors.listing_changes(user=request.user, candidate=candidate),
        "move_form": ListingMoveForm(
            initial={"version": candidate.version, "on": timezone.localdate()}
        ),
        "stages": [s for s in ListingStage if s != candidate.stage],
    }
    return render(request, "ecosystem/listing_detail.html", context)


def listing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _candidate(request, pk)
    permissions.require_editor(request.user)
    form = ListingForm(request.POST or None, instance=candidate, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.LISTING_FIELDS}
        done = run_service(
            request,
            lambda: services.listing_update(
                actor=request.user,
                candidate=candidate,
                data=data,
                expected_version=form.cleaned_data["version"],
            ),
            success="已保存。",
            form=form,
        )
        if done:
            return redirect(candidate.get_absolute_url())
    return _form_page(request, form, f"修改：{candidate}", "ecosystem:listing_board")


@require_POST
def listing_move(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _candidate(request, pk)
    permissions.require_editor(request.user)
    form = ListingMoveForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            lambda: services.listing_move(
                actor=request.user,
                candidate=candidate,
                to_stage=form.cleaned_data["stage"],
                on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            ),
            success=f"“{candidate}”阶段已更新。",
        )
    else:
        messages.error(request, "请选择目标阶段。")
    return redirect(candidate.get_absolute_url())
