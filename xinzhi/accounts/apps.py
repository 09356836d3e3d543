from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "xinzhi.accounts"
    label = "accounts"
    verbose_name = "账户与板块"
