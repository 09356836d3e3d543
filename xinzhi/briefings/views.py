"""统计报告 pages: thin views over selectors and services."""

from __future__ import annotations

from urllib.parse import quote

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xinzhi.accounts import permissions
from xinzhi.accounts.permissions import rule_required
from xinzhi.briefings import exports, jobs, phrasing, selectors, services
from xinzhi.briefings.forms import (
    DraftForm,
    NewSentenceTemplateForm,
    PeriodForm,
    SectionForm,
    SentenceTemplateForm,
)
from xinzhi.briefings.models import Section, SentenceTemplate
from xinzhi.core.errors import require_valid_filters, run_service
from xinzhi.core.exceptions import ApplicationError
from xinzhi.jobs.services import job_start

view = rule_required(permissions.can_view_briefings)
write = rule_required(permissions.can_write_briefings, "当前角色只能查看统计报告")
templates = rule_required(permissions.can_edit_briefing_templates, permissions.ADMIN_ONLY_MESSAGE)


def _download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    # RFC 6266: an ASCII fallback plus the UTF-8 Chinese name.
    ascii_name = "report.xlsx" if filename.endswith(".xlsx") else "briefing.docx"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


def _default_period() -> tuple[int, int]:
    return selectors.previous_month(timezone.localdate())


@view
def briefing_list(request: HttpRequest) -> HttpResponse:
    filterset = selectors.briefing_list(user=request.user, params=request.GET)
    require_valid_filters(filterset)
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    report_form = PeriodForm(
        units=selectors.visible_units(user=request.user), default=_default_period()
    )
    return render(
        request,
        "briefings/list.html",
        {
            "filterset": filterset,
            "page": page,
            "report_form": report_form,
            "can_write": permissions.can_write_briefings(request.user),
        },
    )


def _asked_period(request: HttpRequest) -> tuple[int, int]:
    """The period a link asks for (?year=&month=, e.g. the 工作台 reminder), else last month."""
    year, month = request.GET.get("year", ""), request.GET.get("month", "")
    if year.isdigit() and month.isdigit() and 1 <= int(month) <= 12:
        return int(year), int(month)
    return _default_period()


@write
def briefing_generate(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(
        request.POST or None,
        units=selectors.visible_units(user=request.user),
        default=_asked_period(request),
    )
    if request.method == "POST" and form.is_valid():
        # Written by the task worker (jobs.py); the job page links to the draft when it is done.
        params = {
            "year": form.cleaned_data["year"],
            "month": form.cleaned_data["month"],
            "jurisdiction": form.jurisdiction_id(),
        }
        return redirect(job_start(owner=request.user, kind=jobs.BRIEFING_GENERATE, params=params))
    return render(request, "briefings/generate.html", {"form": form})


@view
def briefing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    briefing = selectors.briefing_get(user=request.user, pk=pk)
    form = DraftForm(request.POST or None, briefing=briefing)
    if request.method == "POST":
        permissions.require(
            permissions.can_write_briefings(request.user), "当前角色只能查看统计报告"
        )
        if form.is_valid():
            outcome = run_service(
                request,
                lambda: services.briefing_edit(
                    actor=request.user,
                    briefing=briefing,
                    texts=form.texts(),
                    expected_version=form.cleaned_data["version"],
                ),
                success="月报正文已保存。",
                form=form,
            )
            if outcome:
                return redirect(briefing)
    rows = selectors.briefing_rows(briefing)
    own_key = briefing.jurisdiction_id
    return render(
        request,
        "briefings/detail.html",
        {
            "briefing": briefing,
            "form": form,
            "figures": [row for row in rows if row.unit_id == own_key],
            "missing": _untemplated(rows, own_key),
            "can_write": permissions.can_write_briefings(request.user),
        },
    )


def _untemplated(rows: object, unit_id: int | None) -> list[str]:
    """Indicators of the snapshot no sentence template writes about (shown, not hidden)."""
    covered = set(SentenceTemplate.objects.filter(is_active=True).values_list("code", flat=True))
    return [row.name for row in rows if row.unit_id == unit_id and row.code not in covered]


@require_POST
@write
def briefing_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    briefing = selectors.briefing_get(user=request.user, pk=pk)
    version = request.POST.get("version", "")
    run_service(
        request,
        lambda: services.briefing_finalise(
            actor=request.user,
            briefing=briefing,
            expected_version=int(version) if version.isdigit() else -1,
        ),
        success="月报已定稿，此后不再变化。",
    )
    return redirect(briefing)


@view
def briefing_docx(request: HttpRequest, pk: int) -> HttpResponse:
    briefing = selectors.briefing_get(user=request.user, pk=pk)
    data = exports.briefing_document(
        title=f"{briefing.compiled_by} 科技工作月报",
        issue=f"{briefing.year}年第{briefing.month}期",
        compiled_by=briefing.compiled_by,
        issued_on=briefing.issued_on,
        paragraphs=briefing.paragraphs,
    )
    issue = f"{briefing.year}年第{briefing.month}期（第{briefing.edition}版）"
    name = f"{briefing.compiled_by}科技工作月报{issue}.docx"
    return _download(data, name, exports.DOCX_TYPE)


@view
def briefing_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The report from the briefing's snapshot: the numbers as they were when it was written."""
    briefing = selectors.briefing_get(user=request.user, pk=pk)
    figures = selectors.snapshot_figures(briefing)
    units: list[tuple[int | None, str]] = []
    for figure in figures:
        unit = (figure.jurisdiction_id, figure.jurisdiction_name)
        if unit not in units:
            units.append(unit)
    scope = units[0][1] if units else briefing.unit_name
    title = exports.report_title(scope, briefing.year, briefing.period_label)
    taken = timezone.localtime(briefing.created_at)
    note = f"数据取自{briefing}生成时的快照（{taken:%Y-%m-%d %H:%M}）。"
    data = exports.report_workbook(title=title, units=units, figures=figures, note=note)
    return _download(data, f"{title}.xlsx", exports.XLSX_TYPE)


@view
def report(request: HttpRequest) -> HttpResponse:
    """The live report for any period (what the cockpit links to): figures as they are now."""
    units = selectors.visible_units(user=request.user)
    form = PeriodForm(request.GET or None, units=units, default=_default_period())
    if not request.GET:
        year, month = _default_period()
        unit = "district" if units and units[0][0] is None else (str(units[0][0]) if units else "")
        form = PeriodForm(
            {"year": year, "month": month, "unit": unit}, units=units, default=(year, month)
        )
    if not form.is_valid():
        raise Http404("统计期或统计范围有误")
    year, month = form.cleaned_data["year"], form.cleaned_data["month"]
    try:
        columns = selectors.report_units(user=request.user, jurisdiction_id=form.jurisdiction_id())
    except LookupError as exc:
        raise Http404("没有可查看的统计范围") from exc
    figures = selectors.live_figures(user=request.user, year=year, month=month, units=columns)
    label = figures[0].period.label if figures else f"1—{month}月"
    title = exports.report_title(columns[0][1], year, label)
    note = f"数据为 {timezone.localtime():%Y-%m-%d %H:%M} 的实时统计。"
    data = exports.report_workbook(title=title, units=columns, figures=figures, note=note)
    return _download(data, f"{title}.xlsx", exports.XLSX_TYPE)


# --- templates (句式模板) -----------------------------------------------------------------


@templates
def template_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "briefings/templates.html",
        {"sections": selectors.sections(), "placeholders": phrasing.PLACEHOLDERS},
    )


def _preview(request: HttpRequest, text: str, rank_text: str, joiner: str, code: str) -> dict:
    """The sentence written with the latest figures (the district, last month), or why not."""
    year, month = _default_period()
    try:
        figures = selectors.live_figures(
            user=request.user, year=year, month=month, units=[(None, "全区")]
        )
    except (Http404, ApplicationError):
        figures = []
    figure = next((f for f in figures if f.code == code), None)
    if figure is None:
        return {"error": "当前没有该指标的数值，无法预览"}
    try:
        phrasing.parse(text, phrasing.PLACEHOLDERS)
        if rank_text:
            phrasing.parse(rank_text, (phrasing.RANK,))
        sentence = phrasing.Sentence(code=code, text=text, rank_text=rank_text, joiner=joiner)
        item = phrasing.clause(sentence, figure, scope_name="全区")
    except phrasing.TemplateError as exc:
        return {"error": str(exc)}
    if item is None:
        return {"error": f"{figure.period.label}该指标没有实际值，月报中将省略这一句"}
    return {"text": item.text + item.claim, "period": f"{year}年{figure.period.label}"}


@templates
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(SentenceTemplate, pk=pk)
    form = SentenceTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and request.POST.get("preview"):
        data = request.POST
        preview = _preview(
            request,
            data.get("text", ""),
            data.get("rank_text", ""),
            data.get("joiner", ""),
            template.code,
        )
        return render(request, "briefings/template_form.html#preview", {"preview": preview})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        outcome = run_service(
            request,
            lambda: services.sentence_template_update(
                actor=request.user,
                template=template,
                data=data,
                expected_version=form.cleaned_data["version"],
            ),
            success="句式模板已保存。",
            form=form,
        )
        if outcome:
            return redirect("briefings:templates")
    template.refresh_from_db()
    preview = _preview(
        request,
        request.POST.get("text", template.text),
        request.POST.get("rank_text", template.rank_text),
        template.joiner,
        template.code,
    )
    return render(
        request,
        "briefings/template_form.html",
        {
            "form": form,
            "template": template,
            "preview": preview,
            "placeholders": phrasing.PLACEHOLDERS,
        },
    )


@templates
def template_create(request: HttpRequest) -> HttpResponse:
    indicators = selectors.indicator_choices()
    form = NewSentenceTemplateForm(request.POST or None, indicators=indicators)
    if request.method == "POST" and form.is_valid():
        outcome = run_service(
            request,
            lambda: services.sentence_template_create(
                actor=request.user,
                data=form.cleaned_data,
                known_codes=[code for code, _name in indicators],
            ),
            success="句式模板已新增。",
            form=form,
        )
        if outcome:
            return redirect("briefings:templates")
    return render(
        request,
        "briefings/template_form.html",
        {"form": form, "template": None, "placeholders": phrasing.PLACEHOLDERS},
    )


@templates
def section_edit(request: HttpRequest, pk: int) -> HttpResponse:
    section = get_object_or_404(Section, pk=pk)
    form = SectionForm(request.POST or None, instance=section)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        outcome = run_service(
            request,
            lambda: services.section_update(
                actor=request.user,
                section=section,
                data=data,
                expected_version=form.cleaned_data["version"],
            ),
            success="段落已保存。",
            form=form,
        )
        if outcome:
            return redirect("briefings:templates")
    return render(request, "briefings/section_form.html", {"form": form, "section": section})
