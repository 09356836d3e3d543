from django.apps import AppConfig, apps


class CoreConfig(AppConfig):
    name = "xinzhi.core"
    label = "core"
    verbose_name = "平台核心"

    def ready(self) -> None:
        from django.db.models import fields
        from django.db.models.signals import post_migrate

        from xinzhi.core.dbstats import analyze_after_migrate

        post_migrate.connect(analyze_after_migrate, sender=self)

        # Django 6's blank choice "- Select an option -" has no Chinese translation; its
        # documented hook is this module constant, read when a form field is built.
        fields.BLANK_CHOICE_LABEL = "请选择"
        # django-axes names its admin section after its label ("Axes"); its models and fields
        # are translated in xinzhi/locale.
        if apps.is_installed("axes"):
            apps.get_app_config("axes").verbose_name = "登录安全（失败锁定）"
