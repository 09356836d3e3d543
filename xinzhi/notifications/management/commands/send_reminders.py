import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from xinzhi.notifications.services import send_reminders


class Command(BaseCommand):
    help = (
        "发送到期提醒（评审任务、申报截止、停滞项目、今日跟进、资质到期等）；重复运行不会重复发送。"
    )

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--date", help="按该日期计算（YYYY-MM-DD，默认今天）")

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        today = None
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"日期格式应为 YYYY-MM-DD：{options['date']}") from exc
        sent = send_reminders(today=today)
        self.stdout.write(f"已发送 {sent} 条新提醒。")
