from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "xinzhi.portal"
    label = "portal"
    verbose_name = "企业服务端"
