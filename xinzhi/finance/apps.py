from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "xinzhi.finance"
    label = "finance"
    verbose_name = "科技金融"

    def ready(self) -> None:
        from xinzhi.core.panels import EnterprisePanel, register_enterprise_panel
        from xinzhi.core.timeline import register_timeline_provider
        from xinzhi.finance import jobs
        from xinzhi.finance.selectors import enterprise_timeline_items

        register_timeline_provider(enterprise_timeline_items)
        register_enterprise_panel(EnterprisePanel("finance:enterprise_panel", "融资"))
        jobs.register()
