"""Read enterprise facts from JSON, CSV or XLSX, with validation.

JSON: a list of DESIGN §5 objects, or ``{"enterprises": [...]}`` (a top-level ``"notes"`` is
allowed). CSV/XLSX: one row per enterprise and fiscal year; the rows of one ``id`` are grouped
into its ``financials``. Enterprise-level columns may be repeated on every row or given once;
two different non-blank values for the same enterprise are an error. See ``COLUMNS``.
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Iterable, Mapping
from io import StringIO
from pathlib import Path
from typing import Any

from .facts import (
    _SUB_PARSERS,
    TOP_FIELDS,
    YEAR_FIELDS,
    EnterpriseFacts,
    InputError,
    facts_from_dict,
)

__all__ = ["COLUMNS", "ENTERPRISE_COLUMNS", "YEAR_COLUMNS", "read_input", "rows_to_dicts"]

# Year-level columns. The per-year headcount is ``year_employees`` (``employees`` is the
# enterprise-level headcount of the last fiscal year).
YEAR_COLUMNS: tuple[str, ...] = tuple(
    "year_employees" if c == "employees" else c for c in YEAR_FIELDS
)
ENTERPRISE_COLUMNS: tuple[str, ...] = (
    *TOP_FIELDS,
    *(f"{sub}.{k}" for sub, spec in _SUB_PARSERS.items() for k in spec),
)
COLUMNS: tuple[str, ...] = (*ENTERPRISE_COLUMNS, *YEAR_COLUMNS)
_YEAR_SET = frozenset(YEAR_COLUMNS)
_ENT_SET = frozenset(ENTERPRISE_COLUMNS)


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and v.strip() == "")


def rows_to_dicts(
    header: list[Any], rows: Iterable[list[Any]], *, first_line: int = 2
) -> list[dict[str, Any]]:
    """Group row-per-enterprise-and-year records into DESIGN §5 dicts."""
    cols = [str(h).strip() if h is not None else "" for h in header]
    for i, c in enumerate(cols):
        if c == "":
            raise InputError(None, f"第{i + 1}列", "表头为空")
        if c not in _YEAR_SET and c not in _ENT_SET:
            raise InputError(None, c, "未知列；可用列见 docs/eligibility.md 或 template.csv")
    dup = {c for c in cols if cols.count(c) > 1}
    if dup:
        raise InputError(None, min(dup), "列名重复")
    if "id" not in cols:
        raise InputError(None, "id", "缺少 id 列")
    out: dict[str, dict[str, Any]] = {}
    for n, row in enumerate(rows, start=first_line):
        vals = list(row) + [None] * (len(cols) - len(row))
        if all(_blank(v) for v in vals):
            continue
        rec = dict(zip(cols, vals, strict=False))
        raw_id = rec.get("id")
        if _blank(raw_id):
            raise InputError(None, "id", f"第{n}行缺少企业 id")
        if isinstance(raw_id, float) and raw_id.is_integer():
            raw_id = int(raw_id)
        eid = str(raw_id).strip()
        ent = out.setdefault(eid, {"id": eid, "financials": []})
        for c in cols:
            v = rec[c]
            if c == "id" or c in _YEAR_SET or _blank(v):
                continue
            if "." in c:
                sub, key = c.split(".", 1)
                target = ent.setdefault(sub, {})
            else:
                target, key = ent, c
            if key in target and target[key] != v:
                raise InputError(
                    eid, c, f"第{n}行的值 {v!r} 与该企业前面行的值 {target[key]!r} 不一致"
                )
            target[key] = v
        year_vals = {
            ("employees" if c == "year_employees" else c): rec[c]
            for c in cols
            if c in _YEAR_SET and not _blank(rec[c])
        }
        if year_vals:
            if "year" not in year_vals:
                raise InputError(eid, "year", f"第{n}行有年度数据但缺少 year")
            ent["financials"].append(year_vals)
    return list(out.values())


def read_text(path: Path) -> str:
    """Text of a CSV/JSON file in UTF-8 (with or without BOM), UTF-16 with BOM, or
    GB18030/GBK (what Excel writes on Chinese Windows)."""
    raw = path.read_bytes()
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(
        None,
        "(文件)",
        "无法识别的文件编码（支持 UTF-8、UTF-16、GB18030/GBK），请在 Excel 中另存为“CSV UTF-8”",
    )


def _load_json(path: Path) -> list[Any]:
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as e:
        raise InputError(
            None, "(文件)", f"JSON 格式错误：第{e.lineno}行第{e.colno}列 {e.msg}"
        ) from None
    if isinstance(data, Mapping):
        extra = set(data) - {"enterprises", "notes"}
        if "enterprises" not in data or extra:
            raise InputError(None, "(文件)", 'JSON 顶层应为数组或 {"enterprises": [...]}')
        data = data["enterprises"]
    if not isinstance(data, list):
        raise InputError(None, "(文件)", 'JSON 顶层应为数组或 {"enterprises": [...]}')
    return data


def _load_csv(path: Path) -> list[dict[str, Any]]:
    reader = csv.reader(StringIO(read_text(path), newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(None, "(文件)", "CSV 文件为空") from None
    except csv.Error as e:
        raise InputError(None, "(文件)", f"CSV 格式错误：{e}") from None
    try:
        return rows_to_dicts(header, reader)
    except csv.Error as e:
        raise InputError(None, "(文件)", f"CSV 格式错误：{e}") from None


def _load_xlsx(path: Path) -> list[dict[str, Any]]:
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError, XmlError, ZipError

    try:
        wb = CalamineWorkbook.from_path(str(path))
        sheet = wb.get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
    except (CalamineError, PasswordError, XmlError, ZipError, OSError, ValueError) as e:
        raise InputError(None, "(文件)", f"无法读取 Excel 文件：{e}") from None
    if not rows:
        raise InputError(None, "(文件)", "工作表为空")
    return rows_to_dicts(list(rows[0]), (list(r) for r in rows[1:]))


def read_input(path: str | Path) -> list[EnterpriseFacts]:
    """Read and validate a .json, .csv or .xlsx/.xls/.ods input file."""
    p = Path(path)
    if not p.is_file():
        raise InputError(None, "(文件)", f"找不到输入文件 {p}")
    suffix = p.suffix.lower()
    if suffix == ".json":
        records: list[Any] = _load_json(p)
    elif suffix == ".csv":
        records = _load_csv(p)
    elif suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        records = _load_xlsx(p)
    else:
        raise InputError(None, "(文件)", f"不支持的文件类型 {suffix}（支持 .json .csv .xlsx）")
    facts = [facts_from_dict(r) for r in records]
    seen: set[str] = set()
    for f in facts:
        if f.id in seen:
            raise InputError(f.id, "id", "企业 id 重复")
        seen.add(f.id)
    return facts


# --------------------------------------------------------------------------- column docs

COLUMN_HELP: dict[str, str] = {
    "id": "企业编号（必填，同一企业多行相同）",
    "name": "企业名称",
    "registered_on": "注册（成立）日期 YYYY-MM-DD",
    "as_of": "申报日期 YYYY-MM-DD（可被 --as-of 覆盖；上一会计年度=其前一年）",
    "employees": "上一会计年度职工总数（人）",
    "tech_staff": "上一会计年度科技人员数（人，≤职工总数）",
    "rd_staff": "上一会计年度研发人员数（人）",
    "conversions_3y": "近三年科技成果转化数（项，同一成果只计一次）",
    "hightech_field": "核心技术所属高新技术领域（八大领域名称）",
    "rd_institution_level": "研发机构级别 national/provincial/municipal/below_municipal/none",
    "rd_management_score": "高企研究开发组织管理水平专家得分 0–20（未评审留空）",
    "province": "注册地所在省（如 江苏）",
    "city": "注册地所在市（如 常州）",
    "ip.class1": "Ⅰ类知识产权数（发明专利等）",
    "ip.class1_self_developed": "其中自主研发的Ⅰ类知识产权数",
    "ip.class1_high_value": "其中高价值Ⅰ类知识产权数",
    "ip.class2": "Ⅱ类知识产权数（实用新型、外观设计、软件著作权）",
    "ip.standards_participation": "是否参与编制国家/行业标准、检测方法、技术规范（是/否）",
    "flags.resident": "境内（不含港澳台）注册的居民企业（是/否）",
    "flags.prohibited_industry": "产品属于国家禁止/限制/淘汰类（是/否）",
    "flags.major_incident": "申报前一年内发生重大安全、质量事故或严重环境违法（是/否）",
    "flags.serious_dishonesty": "列入经营异常名录/严重失信名单或科研严重失信（是/否）",
    "flags.listed": "已上市（是/否）",
    "flags.has_core_ip": "拥有对主要产品起核心支持作用的知识产权（是/否）",
    "flags.sme": "属于中小企业（工信部联企业〔2011〕300号）（是/否）",
    "flags.excluded_sector": "瞪羚排除行业：垄断行业、房地产、基建、银行（是/否）",
    "flags.branch_or_trading": "瞪羚排除主体：央企、外资生产基地、分支机构、销售/贸易公司（是/否）",
    "honours.hnte_valid_until": "高新技术企业证书有效期至（无则留空）",
    "honours.innovative_sme_valid_until": "创新型中小企业称号有效期至（无则留空）",
    "honours.tech_innovative_sme_valid_until": "科技和创新型中小企业称号有效期至（2026办法）",
    "honours.srdi_sme_valid_until": "专精特新中小企业称号有效期至",
    "honours.little_giant_valid_until": "专精特新小巨人称号有效期至",
    "honours.tech_sme_registered_year": "科技型中小企业入库年度",
    "honours.national_award_top3_5y": "近5年国家级科技奖励且排名前三（是/否）",
    "honours.provincial_rd_institution": "拥有省部级以上研发机构（是/否）",
    "honours.led_standard_5y": "近5年主导制定国际/国家/行业标准（是/否）",
    "honours.sti_award_3y": "近3年获国家级或省级科技奖励（是/否）",
    "honours.other_honour": "国家级技术创新示范企业、知识产权优势/示范企业等荣誉（是/否）",
    "honours.award_prov_top3_or_nat_top5_3y": "近3年省级科技奖前三或国家级科技奖前五（是/否）",
    "honours.award_prov_plus_top3_3y": "近3年省级以上科技奖励排名前三（是/否）",
    "honours.national_award_top3_3y": "近3年国家级科技奖励排名前三（是/否）",
    "honours.chuangke_top500_3y": "近3年创客中国全国500强企业组（是/否）",
    "honours.chuangke_top50_3y": "近3年创客中国全国50强企业组（是/否）",
    "honours.key_tech_breakthrough": (
        "关键核心技术突破/高价值专利/国内首创/首台套/国家重大项目（是/否）"
    ),
    "funding.has_institutional_investment": "获得专业投资机构投资（是/否）",
    "funding.valuation_usd_m": "最近一轮投后估值（百万美元）",
    "funding.financing_usd_m": "累计融资额（百万美元）",
    "funding.valuation_cny_wan": "估值（万元人民币）",
    "srdi.niche_years": "从事特定细分市场年限（整年）",
    "srdi.product_field": "主导产品领域 short_board(补短板/锻长板/填空白)/six_basics/other",
    "srdi.strategic_emerging": "主导产品属于战略性新兴产业分类（是/否）",
    "srdi.digital_level": "数字化水平等级（1–4）",
    "srdi.quality_items": "质量管理四项中具备的项数（0–4）",
    "srdi.info_system": "至少1项核心业务采用信息系统支撑（是/否）",
    "srdi.mgmt_certification": "管理体系认证或发达国家和地区产品认证（是/否）",
    "srdi.own_brand": "拥有自主品牌（是/否）",
    "srdi.market_share": "主导产品全国细分市场占有率（小数，如 0.12）",
    "srdi.market_rank": "全国细分市场排名",
    "srdi.chain_key_link": "位于产业链关键环节（是/否）",
    "srdi.six_basics_field": "主导产品属于工业六基/制造强国/网络强国领域（是/否）",
    "srdi.dev_score": "专精特新发展评价得分（平台计算，0–100）",
    "srdi.local_feature_score": "特色化指标得分（省定，0–15）",
    "year": "会计年度（每行一个年度）",
    "revenue": "销售收入＝主营业务收入＋其他业务收入（万元）",
    "main_revenue": "主营业务收入（万元）",
    "total_income": "总收入＝收入总额－不征税收入（万元）",
    "hightech_revenue": "高新技术产品（服务）收入（万元）",
    "rd_expense": "研发费用（万元）",
    "rd_expense_domestic": "境内研发费用（万元）",
    "total_cost": "成本费用支出总额（万元）",
    "total_assets": "资产总额（年末，万元）",
    "total_liabilities": "负债总额（年末，万元）",
    "net_assets": "净资产（年末，万元，可为负；留空则＝资产－负债）",
    "net_profit": "净利润（万元，可为负）",
    "equity_financing": "当年新增股权融资（合格机构投资者实缴，万元）",
    "sci_activity_expense": "科技活动费用支出（万元，瞪羚）",
    "year_employees": "该年度职工人数（人，瞪羚人员增长路径）",
}


def dicts_to_rows(records: Iterable[Mapping[str, Any]]) -> list[list[Any]]:
    """Flatten DESIGN §5 dicts to row-per-enterprise-and-year rows (in ``COLUMNS`` order).
    Enterprise-level values are written on the first row of each enterprise only."""
    rows: list[list[Any]] = []
    for rec in records:
        ent: dict[str, Any] = {}
        for c in ENTERPRISE_COLUMNS:
            if "." in c:
                sub, key = c.split(".", 1)
                ent[c] = (rec.get(sub) or {}).get(key)
            else:
                ent[c] = rec.get(c)
        years = list(rec.get("financials") or []) or [{}]
        for i, y in enumerate(years):
            row = [ent[c] if (i == 0 or c == "id") else None for c in ENTERPRISE_COLUMNS]
            row += [y.get("employees" if c == "year_employees" else c) for c in YEAR_COLUMNS]
            rows.append(row)
    return rows
