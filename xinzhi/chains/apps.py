from django.apps import AppConfig


class ChainsConfig(AppConfig):
    name = "xinzhi.chains"
    label = "chains"
    verbose_name = "产业链图谱"
