"""Excel layout of a call's applications with every reviewer's scores (申报与评分汇总表)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from xinzhi.calls.models import Application, Call, Criterion, plain
from xinzhi.spreadsheets.export import Column


def _local(moment: Any) -> Any:
    return timezone.localtime(moment) if moment else None


def application_sheets(
    *, call: Call, criteria: list[Criterion], rows: list[Application], show_names: bool
) -> list[tuple[str, list[Column], list[Any]]]:
    """Two sheets from the same filtered list: one row per application, one per reviewer score.

    Reviewer names are shown to the bureau admin; others see 专家1, 专家2 ….
    """
    slots = max((len(a.assignments.all()) for a in rows), default=0)
    slots = max(slots, call.reviewers_per_application)

    def reviewer(i: int):  # noqa: ANN202
        def value(app: Application) -> Any:
            items = list(app.assignments.all())
            if i >= len(items):
                return None
            return items[i].reviewer.display_name if show_names else f"专家{i + 1}"

        return value

    def reviewer_total(i: int):  # noqa: ANN202
        def value(app: Application) -> Any:
            items = list(app.assignments.all())
            if i >= len(items) or items[i].current_score is None:
                return None
            return items[i].current_score.total

        return value

    main = [
        Column("申报编号", lambda a: a.number, 14),
        Column("申报类别", lambda a: a.category.name, 16),
        Column("项目名称", lambda a: a.title, 36),
        Column("申报单位", lambda a: a.applicant_name, 32),
        Column("所属板块", lambda a: a.applicant_jurisdiction.label, 16),
        Column("状态", lambda a: a.status_label, 12),
        Column("提交时间", lambda a: _local(a.submitted_at), 16),
        Column("申请金额（元）", lambda a: a.requested_amount_yuan, 14, "money"),
    ]
    for i in range(slots):
        main.append(Column(f"评审专家{i + 1}", reviewer(i), 12))
        main.append(Column(f"专家{i + 1}总分", reviewer_total(i), 10, "money"))
    main += [
        Column("已评分人数", lambda a: a.scores_count, 10, "int"),
        Column(
            f"综合得分（{call.get_aggregation_display()}）",
            lambda a: a.aggregate_score,
            14,
            "money",
        ),
        Column("未达门槛", lambda a: "是" if a.below_threshold else "", 10),
        Column("证书编号", lambda a: a.certificate_no, 18),
        Column("资助金额（元）", lambda a: a.grant_amount_yuan, 14, "money"),
        Column("决定意见", lambda a: a.decision_note, 24),
        Column("示例数据", lambda a: "示例数据" if a.is_demo else "", 10),
    ]

    detail_rows = [
        (app, index, assignment)
        for app in rows
        for index, assignment in enumerate(app.assignments.all())
        if assignment.current_score_id
    ]

    def item(criterion: Criterion):  # noqa: ANN202
        return lambda r: r[2].current_score.item_score(criterion.pk)

    detail = [
        Column("申报编号", lambda r: r[0].number, 14),
        Column("项目名称", lambda r: r[0].title, 36),
        Column(
            "评审专家",
            lambda r: r[2].reviewer.display_name if show_names else f"专家{r[1] + 1}",
            12,
        ),
        *[Column(f"{c.name}（权重{plain(c.weight)}%）", item(c), 12, "money") for c in criteria],
        Column("加权总分", lambda r: r[2].current_score.total, 10, "money"),
        Column("评分版本", lambda r: r[2].current_score.version, 8, "int"),
        Column("重新评分理由", lambda r: r[2].current_score.reason, 24),
        Column("评审意见", lambda r: r[2].current_score.comment, 40),
        Column("提交时间", lambda r: _local(r[2].current_score.submitted_at), 16),
    ]
    return [("申报汇总", main, rows), ("专家评分明细", detail, detail_rows)]
