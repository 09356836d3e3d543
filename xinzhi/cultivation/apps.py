from django.apps import AppConfig


class CultivationConfig(AppConfig):
    name = "xinzhi.cultivation"
    label = "cultivation"
    verbose_name = "培育跃升"

    def ready(self) -> None:
        from xinzhi.core.panels import EnterprisePanel, register_enterprise_panel
        from xinzhi.core.timeline import register_timeline_provider
        from xinzhi.cultivation.selectors import track_timeline_items
        from xinzhi.cultivation.services import evaluations_refresh_enterprises
        from xinzhi.enterprises.hooks import register_enterprise_listener

        register_enterprise_panel(EnterprisePanel("cultivation:health_card", "培育体检"))
        register_timeline_provider(track_timeline_items)
        register_enterprise_listener(evaluations_refresh_enterprises)
