from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from xinzhi.core.exceptions import ApplicationError
from xinzhi.jobs.services import jobs_prune


class Command(BaseCommand):
    help = (
        "删除结束超过指定天数的后台任务（含上传文件和结果文件）及任务队列中已结束的记录；"
        "排队中和进行中的任务不受影响。可反复执行（适合 cron 或 systemd 定时器）。"
    )

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"保留天数（默认 {settings.XINZHI_JOB_RETENTION_DAYS} 天）",
        )

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        try:
            result = jobs_prune(older_than_days=options["days"])
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"已删除 {result.jobs} 个后台任务、{result.files} 个任务文件、"
            f"{result.task_results} 条任务队列记录。"
        )
