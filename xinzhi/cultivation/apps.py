from django.apps import AppConfig


class CultivationConfig(AppConfig):
    name = "xinzhi.cultivation"
    label = "cultivation"
    verbose_name = "培育跃升"

    def ready(self) -> None:
        from xinzhi.core.panels import EnterprisePanel, register_enterprise_panel
        from xinzhi.core.timeline import register_timeline_provider
        from xinzhi.cultivation import jobs
        from xinzhi.cultivation.selectors import track_timeline_items
        from xinzhi.enterprises.hooks import register_enterprise_listener

        register_enterprise_panel(EnterprisePanel("cultivation:health_card", "培育体检"))
        register_timeline_provider(track_timeline_items)
        # Many enterprises changed (an import): refreshed by the task worker, not in the request.
        register_enterprise_listener(jobs.refresh_or_enqueue)
        jobs.register()
