"""The seeds' enterprises (five Wujin newspaper articles) with the facts the articles state.

Figures an article does not give are synthetic; every row is flagged as demo data and each
summary says which facts come from the articles.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

D = dt.date


@dataclass(frozen=True)
class StoryTitle:
    """A title held; a date the seeds state is a date, a synthetic one days from the load day."""

    title: str
    name: str
    level: str
    valid_from: dt.date | int
    valid_until: dt.date | int | None = None

    def dates(self, today: dt.date) -> tuple[dt.date, dt.date | None]:
        def on(value: dt.date | int | None) -> dt.date | None:
            return today + dt.timedelta(days=value) if isinstance(value, int) else value

        return on(self.valid_from), on(self.valid_until)  # type: ignore[return-value]


@dataclass(frozen=True)
class StoryEnterprise:
    name: str
    jurisdiction: str  # jurisdiction code from accounts/data/wujin.yaml
    registered_on: dt.date
    industry: str
    hightech_field: str
    tags: tuple[str, ...]
    summary: str
    scale: str = "small"
    base_revenue: int = 3000  # 万元 in the first synthetic year
    growth: float = 0.2
    titles: tuple[StoryTitle, ...] = field(default_factory=tuple)
    revenue_by_year: dict[int, int] = field(default_factory=dict)  # figures the seeds state
    is_listed: bool = False


STORY: tuple[StoryEnterprise, ...] = (
    StoryEnterprise(
        "常州优磁科技有限公司",
        "htkjy",
        D(2020, 6, 18),
        "电机制造",
        "先进制造与自动化",
        ("新能源汽车", "动力系统"),
        "从事高磁通动力系统的研发与制造。2021年入选常州市第十七批“龙城英才计划”；2022年获常州"
        "“创业之桥”海外人才创新创业邀请赛一等奖，同年底进入中石油、中石化供应商名录并实现量产；"
        "2023年入驻湖塘科技产业园，同年被评为市“种子独角兽企业”；即将完成新一轮2800万元融资，"
        "2024年销售额有望达7000万元、实现翻倍增长。（来源：武进日报；其余数据为示例）",
        scale="small",
        base_revenue=600,
        growth=1.0,
        titles=(
            StoryTitle("talent", "龙城英才计划（第十七批）", "municipal", D(2021, 9, 1)),
            StoryTitle("seed_unicorn", "常州市种子独角兽企业", "municipal", D(2023, 12, 1)),
            StoryTitle("tech_sme", "科技型中小企业", "national", -150, 214),
        ),
        revenue_by_year={2023: 3500, 2024: 7000},
    ),
    StoryEnterprise(
        "领先光学技术（江苏）有限公司",
        "wjhtz",
        D(2022, 3, 8),
        "光学仪器制造",
        "电子信息",
        ("集成电路", "光刻装备"),
        "经科技招商于2022年落户武进，启动“新型无掩膜直写微米光刻系统关键技术研发”，获2023年"
        "常州市重点研发计划（产业前瞻与关键核心技术）立项，相关产品计划6月投入市场。总经理耿婷。"
        "（来源：武进日报；所属板块与经营数据为示例）",
        base_revenue=200,
        growth=1.2,
        titles=(StoryTitle("tech_sme", "科技型中小企业", "national", -120, 244),),
    ),
    StoryEnterprise(
        "奕威汽车电子科技（常州）有限公司",
        "wjhtz",
        D(2018, 4, 12),
        "汽车零部件制造",
        "先进制造与自动化",
        ("新能源汽车", "汽车热管理"),
        "总经理刘浪主导汽车空调膨胀阀开发项目超百项，企业致力于汽车热管理领域，自主研发形状记忆"
        "合金膨胀阀、形状记忆合金电磁阀。（来源：武进日报；经营数据为示例）",
        base_revenue=4200,
        growth=0.18,
        titles=(StoryTitle("hnte", "高新技术企业", "national", -1035, 60),),  # renewal due
    ),
    StoryEnterprise(
        "国信新能源科技（常州）有限公司",
        "wjhtz",
        D(2019, 9, 20),
        "电力电子设备制造",
        "新能源与节能",
        ("氢能", "新型储能"),
        "产品应用于燃料电池、高速制冷压缩机、飞轮储能及磁悬浮鼓风机等领域，核心技术人员来自中国"
        "科学院电工研究所。（来源：武进日报；经营数据为示例）",
        base_revenue=1800,
        growth=0.25,
    ),
    StoryEnterprise(
        "常州赛璞睿生科技有限公司",
        "wjhtz",
        D(2020, 11, 2),
        "专用设备制造",
        "先进制造与自动化",
        ("光伏", "高端装备"),
        "专注于高端全自动反吹过滤系统技术与设备研发、生产及销售，为多晶硅厂商提供新一代过滤系统"
        "解决方案。（来源：武进日报；经营数据为示例）",
        base_revenue=2600,
        growth=0.3,
    ),
    StoryEnterprise(
        "江苏理想汽车智能科技有限公司",
        "wjhtz",
        D(2024, 7, 10),
        "汽车制造",
        "先进制造与自动化",
        ("新能源汽车", "整车"),
        "理想汽车常州基地每40秒下线1辆新能源汽车；江苏理想于7月10日在武高新注册成立，将开展AI"
        "智能工业创新。理想汽车为新能源汽车产业链“链主”企业。（来源：武进日报；经营数据为示例）",
        scale="large",
        base_revenue=120000,
        growth=0.5,
    ),
    StoryEnterprise(
        "江苏恒立液压股份有限公司",
        "wjhtz",
        D(2005, 6, 1),
        "液压元件制造",
        "先进制造与自动化",
        ("高端装备", "液压"),
        "高端装备产业领军企业，中标“中国天眼”FAST促动器第一轮更换项目，荣获第七届中国工业大奖，"
        "再次获评国家级制造业单项冠军企业；计划总投资50亿元建设高端精密滚珠丝杠、直线导轨和电动缸"
        "项目。（来源：武进日报；经营数据为示例）",
        scale="large",
        base_revenue=800000,
        growth=0.06,
        is_listed=True,
        titles=(
            StoryTitle("champion", "国家级制造业单项冠军企业", "national", D(2024, 7, 1)),
            StoryTitle("listed", "上海证券交易所主板上市", "national", D(2011, 10, 28)),
            StoryTitle("hnte", "高新技术企业", "national", -395, 700),
        ),
    ),
    StoryEnterprise(
        "江苏君华特种高分子材料股份有限公司",
        "wjjkq",
        D(2012, 8, 16),
        "高分子材料制造",
        "新材料",
        ("新材料", "航空航天"),
        "国内PEEK（聚醚醚酮）产业首家实现全产业链布局的企业，产品应用于长征五号B运载火箭，2022年"
        "成为国家级专精特新“小巨人”企业；凭“应用于航空航天领域PEEK材料解决方案”获第十二届“创业"
        "江苏”科技创新大赛新材料行业赛总分第一。（来源：武进日报；所属板块与经营数据为示例）",
        scale="medium",
        base_revenue=18000,
        growth=0.2,
        titles=(
            StoryTitle("little_giant", "国家级专精特新“小巨人”企业", "national", D(2022, 8, 1)),
            StoryTitle("hnte", "高新技术企业", "national", -200, 895),
        ),
    ),
    StoryEnterprise(
        "江苏新民电力设备有限公司",
        "ntz",
        D(2008, 5, 6),
        "输配电设备制造",
        "先进制造与自动化",
        ("智能电网",),
        "区重点项目“智能电网GIS组合式电力设备项目”总投资1.2亿元，用地15亩，达产后年产1000台"
        "110~220千伏罐式无间隙避雷器、5000台35千伏屏蔽式插接避雷器。（来源：武进日报；经营数据为示例）",
        scale="medium",
        base_revenue=9000,
        growth=0.08,
    ),
    StoryEnterprise(
        "常州锋弛新能源科技有限公司",
        "wjhtz",
        D(2023, 5, 15),
        "汽车电子",
        "电子信息",
        ("新能源汽车", "智能驾驶"),
        "智能驾驶控制器ADU的研发、生产和销售项目经科技招商落地武进。（来源：武进日报；所属板块与"
        "经营数据为示例）",
        base_revenue=300,
        growth=1.5,
    ),
    StoryEnterprise(
        "景铂汽车零部件制造（常州）有限公司",
        "wjjkq",
        D(2022, 9, 9),
        "汽车零部件制造",
        "先进制造与自动化",
        ("新能源汽车", "汽车零部件"),
        "科技招商项目，已投产。（来源：武进日报；所属板块与经营数据为示例）",
        base_revenue=1500,
        growth=0.9,
    ),
    StoryEnterprise(
        "常州纵慧芯光半导体科技有限公司",
        "wjhtz",
        D(2016, 8, 1),
        "半导体器件制造",
        "电子信息",
        ("集成电路", "化合物半导体"),
        "化合物半导体核心企业。（来源：武进日报；经营数据为示例）",
        scale="medium",
        base_revenue=15000,
        growth=0.35,
        titles=(
            StoryTitle("potential_unicorn", "江苏省潜在独角兽企业", "provincial", D(2024, 6, 1)),
        ),
    ),
    StoryEnterprise(
        "常州承芯半导体有限公司",
        "wjhtz",
        D(2017, 3, 1),
        "半导体器件制造",
        "电子信息",
        ("集成电路", "化合物半导体"),
        "化合物半导体核心企业。（来源：武进日报；经营数据为示例）",
        scale="medium",
        base_revenue=8000,
        growth=0.3,
    ),
    StoryEnterprise(
        "星辰新能（常州）储能科技有限公司",
        "wjhtz",
        D(2021, 4, 1),
        "电池制造",
        "新能源与节能",
        ("新型储能",),
        "依托中南大学，致力于长时大规模液流储能，建成投运总产能2GW的全钒液流储能电池智造基地。"
        "（来源：武进日报；企业全称与经营数据为示例）",
        scale="medium",
        base_revenue=5000,
        growth=0.8,
        titles=(StoryTitle("gazelle", "江苏省瞪羚企业", "provincial", D(2024, 10, 1)),),
    ),
    StoryEnterprise(
        "兴燃科技（常州）有限公司",
        "wjhtz",
        D(2021, 8, 1),
        "电解水制氢设备制造",
        "新能源与节能",
        ("氢能",),
        "主攻质子交换膜电解水制氢，产品关键指标处于国际领先水平。（来源：武进日报；企业全称与经营数据为示例）",
        base_revenue=800,
        growth=0.9,
    ),
    StoryEnterprise(
        "毫厘科技（常州）有限公司",
        "wjhtz",
        D(2020, 2, 1),
        "芯片设计",
        "电子信息",
        ("集成电路", "智能驾驶"),
        "专注于高性能空间智能感知芯片和解决方案，产品应用于智能驾驶、机器人等领域。（来源：武进日报；"
        "企业全称与经营数据为示例）",
        base_revenue=1200,
        growth=0.6,
    ),
    StoryEnterprise(
        "常州市新誉集团有限公司",
        "wjhtz",
        D(1995, 1, 1),
        "轨道交通装备制造",
        "先进制造与自动化",
        ("轨道交通", "高端装备"),
        "入围中国工业大奖企业名单。（来源：武进日报；企业全称与经营数据为示例）",
        scale="large",
        base_revenue=600000,
        growth=0.05,
    ),
    StoryEnterprise(
        "万帮数字能源股份有限公司",
        "wjhtz",
        D(2014, 8, 1),
        "充电设备制造",
        "新能源与节能",
        ("新能源汽车", "充换电"),
        "入围中国工业大奖项目名单。（来源：武进日报；经营数据为示例）",
        scale="large",
        base_revenue=900000,
        growth=0.1,
    ),
)

# Enterprises created when the seeds' own projects land (attraction demo): the projects are real,
# the company names illustrative; they are treated like the seed-named enterprises.
SEED_LANDED: tuple[str, ...] = ("常州优美墅建筑科技有限公司", "常州孪生元境数字科技有限公司")
# Real, named companies: plausible and clean demo data only — no adverse flags or incidents.
SEED_NAMED: frozenset[str] = frozenset(e.name for e in STORY) | frozenset(SEED_LANDED)

# Synthetic officers, leaders and experts for the demo accounts (names are invented).
DEMO_USERS = (
    ("admin", "admin", "张科", None),
    ("gxq", "officer", "李园", "wjhtz"),
    ("xth", "officer", "王湖", "xth"),
    ("expert", "reviewer", "陈专家", None),
    ("leader", "leader", "赵领导", None),
)
DEMO_PASSWORD = "xinzhi-demo"  # noqa: S105 - documented demo password, never in production
