from django.apps import AppConfig


class AttractionConfig(AppConfig):
    name = "xinzhi.attraction"
    label = "attraction"
    verbose_name = "科技招商"

    def ready(self) -> None:
        from xinzhi.attraction import jobs
        from xinzhi.attraction.selectors import enterprise_timeline_items
        from xinzhi.core.timeline import register_timeline_provider

        register_timeline_provider(enterprise_timeline_items)
        jobs.register()
