from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "xinzhi.enterprises"
    label = "enterprises"
    verbose_name = "企业库"

    def ready(self) -> None:
        from xinzhi.core.selectors import register_overview_provider
        from xinzhi.core.timeline import register_timeline_provider
        from xinzhi.enterprises import jobs
        from xinzhi.enterprises.selectors import enterprise_timeline_items, home_overview

        register_timeline_provider(enterprise_timeline_items)
        register_overview_provider(home_overview)
        jobs.register()
