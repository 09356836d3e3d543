from django.db import models


class DeclarationStatus(models.TextChoices):
    """States of an enterprise's declaration (企业填报)."""

    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "已退回"
    ACCEPTED = "accepted", "已采纳"
