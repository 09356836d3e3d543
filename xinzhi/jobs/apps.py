from django.apps import AppConfig, apps


class JobsConfig(AppConfig):
    name = "xinzhi.jobs"
    label = "jobs"
    verbose_name = "后台任务"

    def ready(self) -> None:
        from xinzhi.core.selectors import register_todo_provider
        from xinzhi.jobs.todo import running_jobs

        register_todo_provider(running_jobs)
        # django-tasks-db's queue table shows in the admin under an English name.
        if apps.is_installed("django_tasks_db"):
            apps.get_app_config("django_tasks_database").verbose_name = "任务队列（技术明细）"
