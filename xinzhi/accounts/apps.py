from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "xinzhi.accounts"
    label = "accounts"
    verbose_name = "账户与板块"

    def ready(self) -> None:
        from xinzhi.accounts.views import home_redirect
        from xinzhi.core.home import register_home_redirect

        register_home_redirect(home_redirect)
