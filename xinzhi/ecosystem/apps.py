from django.apps import AppConfig


class EcosystemConfig(AppConfig):
    name = "xinzhi.ecosystem"
    label = "ecosystem"
    verbose_name = "创新生态"
