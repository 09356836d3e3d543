from django.apps import AppConfig


class AttractionConfig(AppConfig):
    name = "xinzhi.attraction"
    label = "attraction"
    verbose_name = "科技招商"
