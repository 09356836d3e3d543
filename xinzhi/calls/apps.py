from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "xinzhi.calls"
    label = "calls"
    verbose_name = "项目申报与评审"

    def ready(self) -> None:
        from xinzhi.calls import jobs
        from xinzhi.calls.selectors import application_timeline_items
        from xinzhi.core.timeline import register_timeline_provider

        register_timeline_provider(application_timeline_items)
        jobs.register()
