from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "xinzhi.enterprises"
    label = "enterprises"
    verbose_name = "企业库"

    def ready(self) -> None:
        from xinzhi.core.home import register_home_overview
        from xinzhi.core.timeline import register_timeline_provider
        from xinzhi.enterprises.overview import overview
        from xinzhi.enterprises.selectors import enterprise_timeline_items

        register_timeline_provider(enterprise_timeline_items)
        register_home_overview(overview)
