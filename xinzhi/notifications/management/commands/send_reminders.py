import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from xinzhi.jobs.services import job_start
from xinzhi.notifications.jobs import SEND_REMINDERS
from xinzhi.notifications.services import send_reminders


class Command(BaseCommand):
    help = (
        "发送到期提醒（评审任务、申报截止、停滞项目、今日跟进、资质到期等）；重复运行不会重复发送。"
    )

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--date", help="按该日期计算（YYYY-MM-DD，默认今天）")
        parser.add_argument(
            "--queue",
            action="store_true",
            help="交给后台任务进程发送（在“我的任务”中可见），本命令提交后立即返回",
        )

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        today = None
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"日期格式应为 YYYY-MM-DD：{options['date']}") from exc
        if options["queue"]:
            params = {"date": today.isoformat()} if today else {}
            job = job_start(owner=None, kind=SEND_REMINDERS, params=params)
            self.stdout.write(f"已提交后台任务 {job.pk}（发送到期提醒），由任务进程发送。")
            return
        sent = send_reminders(today=today)
        self.stdout.write(f"已发送 {sent} 条新提醒。")
