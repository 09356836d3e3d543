"""Writes of the briefings app: generate a briefing from a snapshot of the figures, edit its
draft (version-checked), finalise it, and edit or load the sentence templates."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from xinzhi.accounts import permissions
from xinzhi.accounts.models import User
from xinzhi.briefings import defaults, phrasing, selectors
from xinzhi.briefings.choices import BriefingStatus
from xinzhi.briefings.models import Briefing, BriefingFigure, Section, SentenceTemplate
from xinzhi.core.audit import audit_record, diff, snapshot
from xinzhi.core.exceptions import ApplicationError, ConcurrentEditError
from xinzhi.core.models import AuditEvent
from xinzhi.dashboards.figures import IndicatorFigure

# XML 1.0 (the .docx) forbids these control characters and PostgreSQL cannot store NUL in JSON:
# text pasted from elsewhere may carry them, so an edit drops them rather than break a download.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
FINAL_MESSAGE = "该月报已定稿，不能再修改；如需调整请重新生成一版。"
MAX_PARAGRAPH = 5000


def _require(allowed: bool, message: str = permissions.NOT_YOURS_MESSAGE) -> None:
    if not allowed:
        raise ApplicationError(message, code="forbidden")


def _unit_key(jurisdiction_id: int | None) -> str:
    return "district" if jurisdiction_id is None else str(jurisdiction_id)


@transaction.atomic
def briefing_generate(
    *, actor: User, year: int, month: int, jurisdiction_id: int | None, today: Any = None
) -> Briefing:
    """Write a new version of the (year, month, unit) briefing from the figures as they are now.

    Every figure used — the unit's, and for the district also each 板块's (the Excel report's
    columns) — is stored with the briefing, and the text is written from those stored values,
    so nothing in it changes later. Earlier versions are kept.
    """
    _require(permissions.can_write_briefings(actor), "当前角色只能查看统计报告")
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise ApplicationError("统计期有误：请选择 2000—2100 年的 1—12 月", field="month")
    try:
        units = selectors.report_units(user=actor, jurisdiction_id=jurisdiction_id)
    except LookupError as exc:
        raise ApplicationError("所选统计范围不在您的管辖范围内", field="unit") from exc
    figures = selectors.live_figures(user=actor, year=year, month=month, units=units)
    unit_id, unit_name = units[0]
    own = [f for f in figures if f.jurisdiction_id == jurisdiction_id]
    paragraphs = phrasing.briefing_paragraphs(
        selectors.template_specs(), own, scope_name=selectors.scope_name(unit_id, unit_name)
    )
    compiler = f"{selectors.district_name()}科技局" if jurisdiction_id is None else unit_name
    key = _unit_key(jurisdiction_id)
    edition = (
        Briefing.all_objects.filter(year=year, month=month, unit_key=key).aggregate(
            top=Max("edition")
        )["top"]
        or 0
    ) + 1
    briefing = Briefing(
        year=year,
        month=month,
        jurisdiction_id=jurisdiction_id,
        unit_key=key,
        unit_name="全区" if jurisdiction_id is None else unit_name,
        edition=edition,
        title=f"{compiler} 科技工作月报 {year}年第{month}期",
        compiled_by=compiler,
        period_label=own[0].period.label if own else f"1—{month}月",
        issued_on=today or timezone.localdate(),
        paragraphs=[{"heading": p.heading, "text": p.text} for p in paragraphs],
        generated_by=actor,
    )
    briefing.full_clean(exclude=["unit_key"])
    try:
        with transaction.atomic():
            briefing.save()
    except IntegrityError as exc:  # two people generated the same month at the same moment
        raise ApplicationError("同一统计期的月报正在由他人生成，请刷新后重试") from exc
    BriefingFigure.all_objects.bulk_create(
        _figure_row(briefing, order, figure) for order, figure in enumerate(figures, start=1)
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=briefing,
        note=f"生成{briefing.title}（第{edition}版，{len(figures)}项指标数值）",
        jurisdiction_id=jurisdiction_id,
    )
    return briefing


def _figure_row(briefing: Briefing, order: int, figure: IndicatorFigure) -> BriefingFigure:
    ranking = figure.city_ranking
    return BriefingFigure(
        briefing=briefing,
        order=order,
        unit_id=figure.jurisdiction_id,
        jurisdiction_name=figure.jurisdiction_name,
        code=figure.code,
        name=figure.name,
        unit=figure.unit,
        period_label=figure.period.label,
        period_start=figure.period.start,
        period_end=figure.period.end,
        cumulative=figure.period.cumulative,
        elapsed=figure.period.elapsed,
        actual=figure.actual,
        targets=[
            {
                "level": t.level,
                "level_label": t.level_label,
                "value": str(t.value),
                "progress": None if t.progress is None else str(t.progress),
            }
            for t in figure.targets
        ],
        progress=figure.progress,
        source=figure.source,
        source_note=figure.source_note,
        city_rank=ranking.rank if ranking else None,
        city_among=ranking.among if ranking else None,
        city_rank_source=ranking.source if ranking else "",
    )


def _locked(actor: User, briefing: Briefing, expected_version: int) -> Briefing:
    _require(permissions.can_write_briefings(actor), "当前角色只能查看统计报告")
    current = Briefing.objects.visible_to(actor).select_for_update().get(pk=briefing.pk)
    if current.is_final:
        raise ApplicationError(FINAL_MESSAGE)
    if current.version != expected_version:
        raise ConcurrentEditError("该月报已被他人修改，请刷新后在最新内容上重新编辑。")
    return current


@transaction.atomic
def briefing_edit(
    *, actor: User, briefing: Briefing, texts: Sequence[str], expected_version: int
) -> Briefing:
    """Replace the draft's paragraph texts (headings stay); a stale version is refused."""
    current = _locked(actor, briefing, expected_version)
    if len(texts) != len(current.paragraphs):
        raise ApplicationError("段落数量与月报不一致，请刷新后重新编辑")
    cleaned = [_FORBIDDEN.sub("", text).strip().replace("\r\n", "\n") for text in texts]
    for number, text in enumerate(cleaned, start=1):
        if not text:
            raise ApplicationError(f"第{number}段不能为空", field=f"text_{number - 1}")
        if len(text) > MAX_PARAGRAPH:
            raise ApplicationError(
                f"第{number}段超过 {MAX_PARAGRAPH} 字", field=f"text_{number - 1}"
            )
    before = snapshot(current, ["paragraphs"])
    paragraphs = [
        {**paragraph, "text": text}
        for paragraph, text in zip(current.paragraphs, cleaned, strict=True)
    ]
    updated = Briefing.all_objects.filter(pk=current.pk, version=expected_version).update(
        paragraphs=paragraphs, version=F("version") + 1, updated_at=timezone.now()
    )
    if updated != 1:
        raise ConcurrentEditError("该月报已被他人修改，请刷新后在最新内容上重新编辑。")
    current.refresh_from_db()
    changes = diff(Briefing, before, snapshot(current, ["paragraphs"]))
    if changes:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=current,
            changes=changes,
            jurisdiction_id=current.jurisdiction_id,
        )
    return current


@transaction.atomic
def briefing_finalise(*, actor: User, briefing: Briefing, expected_version: int) -> Briefing:
    """定稿: from now on the briefing and its downloads never change."""
    current = _locked(actor, briefing, expected_version)
    Briefing.all_objects.filter(pk=current.pk).update(
        status=BriefingStatus.FINAL,
        finalised_at=timezone.now(),
        finalised_by=actor,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    current.refresh_from_db()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=current,
        changes=diff(Briefing, {"status": "草稿"}, {"status": "定稿"}),
        jurisdiction_id=current.jurisdiction_id,
    )
    return current


# --- templates (句式模板) -----------------------------------------------------------------


def _validated(field: str, text: str, allowed: Sequence[str]) -> str:
    try:
        phrasing.parse(text, allowed)
    except phrasing.TemplateError as exc:
        raise ValidationError({field: str(exc)}) from exc
    return text


TEMPLATE_FIELDS = ["section", "order", "text", "rank_text", "joiner", "is_active"]
SECTION_FIELDS = ["title", "opening", "order"]


@transaction.atomic
def sentence_template_update(
    *,
    actor: User,
    template: SentenceTemplate,
    data: Mapping[str, Any],
    expected_version: int,
) -> SentenceTemplate:
    """Change a sentence template; its placeholders are checked, a stale version refused."""
    _require(permissions.can_edit_briefing_templates(actor), permissions.ADMIN_ONLY_MESSAGE)
    current = SentenceTemplate.objects.select_for_update().get(pk=template.pk)
    if current.version != expected_version:
        raise ConcurrentEditError()
    before = snapshot(current, TEMPLATE_FIELDS)
    for name in TEMPLATE_FIELDS:
        if name in data:
            setattr(current, name, data[name])
    _check_template(current)
    current.full_clean()
    current.version += 1
    current.save()
    changes = diff(SentenceTemplate, before, snapshot(current, TEMPLATE_FIELDS))
    if changes:
        audit_record(
            actor=actor, action=AuditEvent.Action.UPDATE, instance=current, changes=changes
        )
    return current


@transaction.atomic
def sentence_template_create(
    *, actor: User, data: Mapping[str, Any], known_codes: Sequence[str]
) -> SentenceTemplate:
    """A sentence for an indicator that has none yet (`known_codes`: the indicator library's)."""
    _require(permissions.can_edit_briefing_templates(actor), permissions.ADMIN_ONLY_MESSAGE)
    if data.get("code") not in known_codes:
        raise ValidationError({"code": "请选择指标库中的指标"})
    if SentenceTemplate.objects.filter(code=data["code"]).exists():
        raise ValidationError({"code": "该指标已有句式模板，请直接编辑"})
    template = SentenceTemplate(
        **{k: v for k, v in data.items() if k in ["code", *TEMPLATE_FIELDS]}
    )
    _check_template(template)
    template.full_clean()
    template.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=template,
        changes=diff(SentenceTemplate, {}, snapshot(template, ["code", *TEMPLATE_FIELDS])),
    )
    return template


def _check_template(template: SentenceTemplate) -> None:
    _validated("text", template.text, phrasing.PLACEHOLDERS)
    if template.rank_text:
        _validated("rank_text", template.rank_text, (phrasing.RANK,))
        if "{" + phrasing.RANK + "}" not in template.rank_text:
            raise ValidationError({"rank_text": "排名表述须包含 {排名}，或留空表示不写排名"})


@transaction.atomic
def section_update(
    *, actor: User, section: Section, data: Mapping[str, Any], expected_version: int
) -> Section:
    """Change a paragraph's heading, opening or order."""
    _require(permissions.can_edit_briefing_templates(actor), permissions.ADMIN_ONLY_MESSAGE)
    current = Section.objects.select_for_update().get(pk=section.pk)
    if current.version != expected_version:
        raise ConcurrentEditError()
    before = snapshot(current, SECTION_FIELDS)
    for name in SECTION_FIELDS:
        if name in data:
            setattr(current, name, data[name])
    _validated("opening", current.opening, phrasing.OPENING_PLACEHOLDERS)
    current.full_clean()
    current.version += 1
    current.save()
    changes = diff(Section, before, snapshot(current, SECTION_FIELDS))
    if changes:
        audit_record(
            actor=actor, action=AuditEvent.Action.UPDATE, instance=current, changes=changes
        )
    return current


@transaction.atomic
def templates_load_defaults(*, actor: User | None = None, path: Path = defaults.DEFAULTS) -> int:
    """Add the templates of `path` that are missing (the admin's edits are kept)."""
    if actor is not None:
        _require(permissions.can_edit_briefing_templates(actor), permissions.ADMIN_ONLY_MESSAGE)
    try:
        return defaults.install(Section, SentenceTemplate, path)
    except phrasing.TemplateError as exc:
        raise ApplicationError(str(exc)) from exc
    except (OSError, KeyError, TypeError, ValueError) as exc:
        raise ApplicationError(f"句式模板文件格式有误：{exc}") from exc
