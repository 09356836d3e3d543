from django.apps import AppConfig


class EcosystemConfig(AppConfig):
    name = "xinzhi.ecosystem"
    label = "ecosystem"
    verbose_name = "创新生态"

    def ready(self) -> None:
        from xinzhi.ecosystem import jobs

        jobs.register()
        from xinzhi.cultivation.steps import LadderStep, register_ladder_step
        from xinzhi.ecosystem.selectors import listing_ladder_counts

        register_ladder_step(
            LadderStep("listed", "上市企业", "ecosystem:listing_board", listing_ladder_counts)
        )
