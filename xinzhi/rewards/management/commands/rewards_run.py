"""Run the 测算 of a year from the command line (as the named admin)."""

from django.core.management.base import BaseCommand, CommandError

from xinzhi.accounts.models import User
from xinzhi.core.exceptions import ApplicationError
from xinzhi.rewards import services


class Command(BaseCommand):
    help = "按年度测算政策兑现（免申即享）"

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("year", type=int, help="测算年度，如 2024")
        parser.add_argument(
            "--as-user", default="admin", help="以哪位区管理员的身份测算（审计日志记录）"
        )

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        actor = User.objects.filter(username=options["as_user"]).first()
        if actor is None:
            raise CommandError(f"用户不存在：{options['as_user']}")
        try:
            run = services.entitlement_run(actor=actor, year=options["year"])
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        c = run.counts
        self.stdout.write(
            f"{run.year}年测算完成：应兑现{c['entitled']}项（{c['amount_yuan']}元），不予兑现{c['excluded']}项；"
            f"新增{c['added']}，变化{c['changed']}，撤销{c['withdrawn']}，未变{c['unchanged']}"
        )
