"""The permission table's briefing objects: a 高新区 (gxq) briefing and the templates."""

from __future__ import annotations


def permission_world(*, admin, jurisdiction) -> dict[str, int]:
    from xinzhi.briefings import services
    from xinzhi.briefings.models import Section, SentenceTemplate

    briefing = services.briefing_generate(
        actor=admin, year=2024, month=9, jurisdiction_id=jurisdiction.pk
    )
    return {
        "briefing": briefing.pk,
        "briefing_template": SentenceTemplate.objects.get(code="attracted_tsme").pk,
        "briefing_section": Section.objects.order_by("order").first().pk,
    }


def page_key(url: str) -> str:
    """Which world object a briefings route's <pk> is, by the URL's name."""
    if url == "template_edit":
        return "briefing_template"
    if url == "section_edit":
        return "briefing_section"
    return "briefing"
