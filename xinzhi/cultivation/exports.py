"""Excel layout of a candidate list (候选名单导出)."""

from xinzhi.spreadsheets.export import Column


def _stage(evaluation):  # noqa: ANN001, ANN202
    tracks = getattr(evaluation.enterprise, "family_tracks", [])
    track = next((t for t in tracks if t.family == evaluation.family), None)
    return track.get_stage_display() if track else ""


def _fig(attr: str):  # noqa: ANN202
    def value(evaluation):  # noqa: ANN001, ANN202
        rows = getattr(evaluation.enterprise, "last_figures", [])
        return getattr(rows[0], attr) if rows else None

    return value


def candidate_columns() -> list[Column]:
    return [
        Column("统一社会信用代码", lambda e: e.enterprise.credit_code, 22),
        Column("企业名称", lambda e: e.enterprise.name, 36),
        Column("所属板块", lambda e: e.enterprise.jurisdiction.label, 18),
        Column("政策", lambda e: e.policy_name, 40),
        Column("结论", lambda e: e.get_readiness_display(), 10),
        Column("最低得分", lambda e: e.score_min, 10, "int"),
        Column("最高得分", lambda e: e.score_max, 10, "int"),
        Column("及格线", lambda e: e.score_pass, 8, "int"),
        Column("分差", lambda e: e.score_gap, 8, "int"),
        Column("缺失数据", lambda e: "、".join(e.missing_labels), 40),
        Column("培育阶段", _stage, 10),
        Column("销售收入（万元）", _fig("revenue"), 14, "money"),
        Column("研发费用（万元）", _fig("rd_expense"), 14, "money"),
        Column("评估基准日", lambda e: e.as_of, 12, "date"),
    ]
