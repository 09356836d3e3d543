from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "xinzhi.portal"
    label = "portal"
    verbose_name = "企业服务端"

    def ready(self) -> None:
        from xinzhi.core.panels import EnterprisePanel, register_enterprise_panel
        from xinzhi.notifications.services import register_reminder_source
        from xinzhi.portal.reminders import SOURCES

        for source in SOURCES:
            register_reminder_source(source)

        register_enterprise_panel(EnterprisePanel("portal:enterprise_accounts", "企业账户与填报"))
