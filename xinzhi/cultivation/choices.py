from django.db import models


class LadderStage(models.TextChoices):
    """储备一批、培育一批、申报一批、认定一批、成长一批."""

    RESERVE = "reserve", "储备"
    NURTURE = "nurture", "培育"
    APPLY = "apply", "申报"
    CERTIFIED = "certified", "认定"
    GROWTH = "growth", "成长"


STAGE_ORDER = [s.value for s in LadderStage]


class Verdict(models.TextChoices):
    ELIGIBLE = "eligible", "符合"
    POSSIBLE = "possible", "可能符合"
    INELIGIBLE = "ineligible", "暂不符合"


# The ladder in the order the bureau reads it (初创 → 科技型中小企业 → … → 上市), by family key
# shared with xinzhi.eligibility and enterprises.TitleType.
LADDER_FAMILIES = [
    "tech_sme",
    "innovative_sme",
    "hnte",
    "srdi_sme",
    "little_giant",
    "gazelle",
    "seed_unicorn",
    "potential_unicorn",
    "unicorn",
]
