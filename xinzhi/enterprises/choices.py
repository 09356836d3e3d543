from django.db import models


class EnterpriseScale(models.TextChoices):
    """Enterprise size class (企业规模, 工信部联企业〔2011〕300号)."""

    LARGE = "large", "大型"
    MEDIUM = "medium", "中型"
    SMALL = "small", "小型"
    MICRO = "micro", "微型"


class TitleType(models.TextChoices):
    """Titles on the cultivation ladder and beside it (资质荣誉)."""

    TECH_SME = "tech_sme", "科技型中小企业"
    HNTE = "hnte", "高新技术企业"
    INNOVATIVE_SME = "innovative_sme", "创新型中小企业"
    SRDI_SME = "srdi_sme", "专精特新中小企业"
    LITTLE_GIANT = "little_giant", "专精特新“小巨人”"
    CHAMPION = "champion", "制造业单项冠军"
    GAZELLE = "gazelle", "瞪羚企业"
    SEED_UNICORN = "seed_unicorn", "种子独角兽"
    POTENTIAL_UNICORN = "potential_unicorn", "潜在独角兽"
    UNICORN = "unicorn", "独角兽"
    LISTED = "listed", "上市企业"
    TALENT = "talent", "人才计划"
    OTHER = "other", "其他荣誉"


class TitleLevel(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
    MUNICIPAL = "municipal", "市级"
    DISTRICT = "district", "区级"


class IPKind(models.TextChoices):
    """Kinds of intellectual property; class Ⅰ or Ⅱ as the evaluation rules define them."""

    INVENTION = "invention", "发明专利"
    DEFENCE_PATENT = "defence_patent", "国防专利"
    PLANT_VARIETY = "plant_variety", "植物新品种"
    CROP_VARIETY = "crop_variety", "国家级农作物品种"
    NEW_DRUG = "new_drug", "国家新药"
    TCM_PROTECTED = "tcm_protected", "国家一级中药保护品种"
    IC_LAYOUT = "ic_layout", "集成电路布图设计专有权"
    UTILITY_MODEL = "utility_model", "实用新型专利"
    DESIGN = "design", "外观设计专利"
    SOFTWARE = "software", "软件著作权"


CLASS_ONE_KINDS = frozenset(
    {
        IPKind.INVENTION,
        IPKind.DEFENCE_PATENT,
        IPKind.PLANT_VARIETY,
        IPKind.CROP_VARIETY,
        IPKind.NEW_DRUG,
        IPKind.TCM_PROTECTED,
        IPKind.IC_LAYOUT,
    }
)


class HightechField(models.TextChoices):
    """The eight fields of 《国家重点支持的高新技术领域》."""

    ELECTRONICS = "电子信息", "电子信息"
    BIO = "生物与新医药", "生物与新医药"
    AEROSPACE = "航空航天", "航空航天"
    MATERIALS = "新材料", "新材料"
    SERVICES = "高技术服务", "高技术服务"
    ENERGY = "新能源与节能", "新能源与节能"
    ENVIRONMENT = "资源与环境", "资源与环境"
    MANUFACTURING = "先进制造与自动化", "先进制造与自动化"


class IncidentKind(models.TextChoices):
    """Kinds of incident and credit event the rule sets read (each by its own window)."""

    SAFETY = "safety", "安全"
    QUALITY = "quality", "质量"
    ENVIRONMENT = "environment", "环境"
    TAX = "tax", "税务"
    DISHONESTY = "dishonesty", "失信"
    DATA_SECURITY = "data_security", "数据安全"


class IncidentSeverity(models.TextChoices):
    """Only 重大 and 严重 events count against a title; 一般 is recorded for the file."""

    MAJOR = "major", "重大"
    SERIOUS = "serious", "严重"
    GENERAL = "general", "一般"
