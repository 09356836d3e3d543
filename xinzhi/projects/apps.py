from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "xinzhi.projects"
    label = "projects"
    verbose_name = "项目推进"

    def ready(self) -> None:
        from xinzhi.projects import jobs

        jobs.register()
        from xinzhi.core.selectors import register_overview_provider
        from xinzhi.core.timeline import register_timeline_provider
        from xinzhi.projects.selectors import enterprise_timeline_items, home_overview

        register_timeline_provider(enterprise_timeline_items)
        register_overview_provider(home_overview)
