from django.apps import AppConfig


class ChainsConfig(AppConfig):
    name = "xinzhi.chains"
    label = "chains"
    verbose_name = "产业链图谱"

    def ready(self) -> None:
        from xinzhi.chains import jobs

        jobs.register()
        from xinzhi.core.panels import EnterprisePanel, register_enterprise_panel

        register_enterprise_panel(EnterprisePanel("chains:enterprise_panel", "产业链"))
