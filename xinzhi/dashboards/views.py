"""领导驾驶舱 and the pages that keep targets, typed-in values and city rankings: thin views."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from xinzhi.accounts import permissions
from xinzhi.accounts.permissions import rule_required
from xinzhi.core.errors import run_service
from xinzhi.dashboards import imports, jobs, selectors, services
from xinzhi.dashboards.figures import IndicatorFigure
from xinzhi.dashboards.forms import CityRankingForm, ManualValueForm, TargetForm
from xinzhi.dashboards.models import CityRanking, ManualValue, Target
from xinzhi.dashboards.periods import parse_through
from xinzhi.jobs.imports import import_page
from xinzhi.spreadsheets.export import write_workbook, xlsx_response

NOT_FOUND = "记录不存在或不在您的管辖范围内"
DEFAULT_TREND = "attracted_tsme"


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def _period(request: HttpRequest) -> tuple[int, int, dt.date]:
    """The year + month picker (defaults: this year, the running month); bad input falls back."""
    today = timezone.localdate()
    year = _int(request.GET.get("year")) or today.year
    if not 2000 <= year <= today.year:
        year = today.year
    month = _int(request.GET.get("month"))
    if month is not None and not 1 <= month <= 12:
        month = None
    if year == today.year and month is not None and month > today.month:
        month = today.month
    through = parse_through(year=year, month=month, today=today)
    return year, through.month, through


def _percent(value: Any) -> float:
    return 0.0 if value is None else max(0.0, min(100.0, float(value) * 100))


def card(figure: IndicatorFigure) -> dict:
    """What a cockpit card draws: the figure plus its bar lengths (0—100) for the SVG."""
    return {
        "figure": figure,
        "bar": _percent(figure.progress),
        "marker": _percent(figure.period.elapsed),
    }


def _cockpit_context(request: HttpRequest) -> dict:
    year, month, through = _period(request)
    jurisdiction_id = _int(request.GET.get("jurisdiction"))
    figures = selectors.indicator_figures(
        user=request.user, year=year, through=through, jurisdiction_id=jurisdiction_id
    )
    key_codes = selectors.key_indicator_codes()
    unit_id = figures[0].jurisdiction_id if figures else None
    trend_code = request.GET.get("indicator") or DEFAULT_TREND
    if trend_code not in {f.code for f in figures}:
        trend_code = figures[0].code if figures else DEFAULT_TREND
    return {
        "year": year,
        "month": month,
        "through": through,
        "years": list(range(timezone.localdate().year, 2019, -1)),
        "months": list(range(1, 13)),
        "units": selectors.visible_units(user=request.user),
        "unit_id": unit_id,
        "unit_name": figures[0].jurisdiction_name if figures else "",
        "period": figures[0].period if figures else None,
        "cards": [card(f) for f in figures if f.code in key_codes],
        "figures": figures,
        "trend_code": trend_code,
        "trend": selectors.indicator_trend(
            user=request.user,
            code=trend_code,
            year=year,
            through=through,
            jurisdiction_id=unit_id,
        ),
    }


@rule_required(permissions.can_view_dashboards)
def cockpit(request: HttpRequest) -> HttpResponse:
    """领导驾驶舱: key indicators, targets, progress against 序时进度, city ranks, trend."""
    return render(request, "dashboards/cockpit.html", _cockpit_context(request))


@rule_required(permissions.can_view_dashboards)
def screen(request: HttpRequest) -> HttpResponse:
    """The meeting-room screen (大屏): the cockpit without the menu, large type, auto refresh."""
    return render(request, "dashboards/screen.html", _cockpit_context(request))


@rule_required(permissions.can_compare_sections)
def compare(request: HttpRequest) -> HttpResponse:
    """各板块比较: every indicator per 板块, ranked among the 板块 from live data."""
    year, month, through = _period(request)
    rows = selectors.section_comparison(user=request.user, year=year, through=through)
    context = {
        "year": year,
        "month": month,
        "through": through,
        "years": list(range(timezone.localdate().year, 2019, -1)),
        "months": list(range(1, 13)),
        "rows": rows,
        "period": rows[0]["cells"][0]["figure"].period if rows and rows[0]["cells"] else None,
    }
    return render(request, "dashboards/compare.html", context)


# --- targets, typed-in values, city rankings (区管理员) ---------------------------------------

KINDS: dict[str, dict[str, Any]] = {
    "targets": {
        "model": Target,
        "form": TargetForm,
        "save": services.target_save,
        "delete": services.target_delete,
        "arg": "target",
        "title": "目标",
        "note": "全区目标留空“板块”；全区可同时有市目标和区目标，完成进度按区目标计。",
        "import": (jobs.TARGETS_CHECK, jobs.TARGETS_IMPORT, imports.TARGETS),
        "import_note": "每行一个目标：指标（指标库中的名称或编码）、年度、目标层级（“市目标”或"
        "“区目标”）、范围（“全区”或板块名称）、目标值，说明可空。已有同一指标、年度、范围与层级的"
        "目标，以文件为准更新（说明留空时保留原说明）。",
    },
    "values": {
        "model": ManualValue,
        "form": ManualValueForm,
        "save": services.manual_value_save,
        "delete": services.manual_value_delete,
        "arg": "manual_value",
        "title": "手工填报值",
        "note": "填写当年 1 月至所选月份的累计数并注明来源。计算指标在某期有填报值时，"
        "以填报值为准（平台上线前的统计补录）。",
        "import": (jobs.VALUES_CHECK, jobs.VALUES_IMPORT, imports.VALUES),
        "import_note": "每行一个累计数：指标（名称或编码）、年度、截至月份、范围（“全区”或"
        "板块名称）、当年 1 月至该月的累计数值和数据来源（如“市科技局 10 月通报”）。已有同一"
        "指标、年度、月份与范围的填报值，以文件为准更新。适合补录平台上线前各年度的统计数。",
    },
    "rankings": {
        "model": CityRanking,
        "form": CityRankingForm,
        "save": services.city_ranking_save,
        "delete": services.city_ranking_delete,
        "arg": "ranking",
        "title": "全市排名",
        "note": "按市级通报登记全区在全市的排名；简报只在有排名记录时写“全市第一”等表述。",
    },
}


PREFIX = {"targets": "target", "values": "value", "rankings": "ranking"}


def _url(kind: str, page: str, *args: int) -> str:
    return reverse(f"dashboards:{PREFIX[kind]}_{page}", args=args)


def _manager(model: type) -> Any:
    return model.all_objects if hasattr(model, "all_objects") else model.objects


def _row(kind: str, pk: int) -> Any:
    row = _manager(KINDS[kind]["model"]).filter(pk=pk).first()
    if row is None:
        raise Http404(NOT_FOUND)
    return row


@rule_required(permissions.can_manage_targets, permissions.ADMIN_ONLY_MESSAGE)
def row_list(request: HttpRequest, kind: str) -> HttpResponse:
    spec = KINDS[kind]
    year = _int(request.GET.get("year"))
    rows = _manager(spec["model"]).select_related("indicator")
    if year:
        rows = rows.filter(year=year)
    if "jurisdiction" in [f.name for f in spec["model"]._meta.fields]:
        rows = rows.select_related("jurisdiction")
    context = {
        "kind": kind,
        "spec": spec,
        "rows": [
            (row, _url(kind, "edit", row.pk), _url(kind, "delete", row.pk)) for row in rows[:500]
        ],
        "year": year,
        "new_url": _url(kind, "create"),
        "import_url": _url(kind, "import") if "import" in spec else "",
    }
    return render(request, "dashboards/row_list.html", context)


@rule_required(permissions.can_manage_targets, permissions.ADMIN_ONLY_MESSAGE)
def row_form(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    spec = KINDS[kind]
    row = _row(kind, pk) if pk is not None else None
    form = spec["form"](request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        fields = [name for name in form.cleaned_data if name != "version"]
        data = {name: form.cleaned_data[name] for name in fields}
        if row is not None:
            row.refresh_from_db()
        saved = run_service(
            request,
            lambda: spec["save"](
                actor=request.user,
                data=data,
                expected_version=form.cleaned_data["version"],
                **{spec["arg"]: row},
            ),
            form=form,
            success=f"{spec['title']}已保存。",
        )
        if saved:
            return redirect(_url(kind, "list"))
    heading = f"修改{spec['title']}：{row}" if row else f"新增{spec['title']}"
    context = {
        "form": form,
        "heading": heading,
        "note": spec["note"],
        "back": _url(kind, "list"),
        "kind": kind,
    }
    return render(request, "dashboards/form.html", context)


@require_POST
@rule_required(permissions.can_manage_targets, permissions.ADMIN_ONLY_MESSAGE)
def row_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    spec = KINDS[kind]
    row = _row(kind, pk)
    run_service(
        request,
        lambda: spec["delete"](
            actor=request.user,
            expected_version=_int(request.POST.get("version")),
            **{spec["arg"]: row},
        ),
        success=f"{spec['title']}已删除。",
    )
    return redirect(_url(kind, "list"))


@rule_required(permissions.can_manage_targets, permissions.ADMIN_ONLY_MESSAGE)
def table_import(request: HttpRequest, kind: str) -> HttpResponse:
    """Upload targets or values: 试导入 checks every row, 正式导入 writes all rows or none."""
    spec = KINDS[kind]
    check_kind, import_kind, _table = spec["import"]
    return import_page(
        request,
        check_kind=check_kind,
        import_kind=import_kind,
        template="dashboards/table_import.html",
        context={"kind": kind, "spec": spec, "template_url": _url(kind, "template")},
    )


@rule_required(permissions.can_manage_targets, permissions.ADMIN_ONLY_MESSAGE)
def table_import_template(request: HttpRequest, kind: str) -> HttpResponse:
    """The import template, with a row per active indicator for the district to fill."""
    spec = KINDS[kind]
    table, year = spec["import"][2], timezone.localdate().year
    book = write_workbook(
        [(spec["title"], imports.template_columns(table), imports.template_rows(table, year))]
    )
    return xlsx_response(book, f"{spec['title']}导入模板_{year}.xlsx")
