from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from xinzhi.accounts.models import User
from xinzhi.accounts.services import TOKEN_DEFAULT_DAYS, api_token_create
from xinzhi.core.exceptions import ApplicationError


class Command(BaseCommand):
    help = "为用户签发接口令牌（令牌明文只显示这一次）。"

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--user", required=True, help="用户名；令牌按该用户的角色和板块取数")
        parser.add_argument("--name", required=True, help="用途，如“市科技局数据交换”")
        parser.add_argument(
            "--days",
            type=int,
            default=TOKEN_DEFAULT_DAYS,
            help=f"有效天数（默认 {TOKEN_DEFAULT_DAYS} 天，到期后需重新签发）",
        )

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"用户不存在：{options['user']}")
        if options["days"] < 1:
            raise CommandError("--days 至少为 1")
        try:
            token, key = api_token_create(user=user, name=options["name"], days=options["days"])
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"已签发令牌“{token.name}”（{token.prefix}…），请妥善保存，之后无法再次查看："
        )
        self.stdout.write(key)
        expires = timezone.localtime(token.expires_at)
        self.stdout.write(
            f"有效期 {options['days']} 天，至 {expires:%Y-%m-%d %H:%M} 到期；"
            "到期后请重新签发（--days 可调整）。"
        )
