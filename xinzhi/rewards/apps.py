from django.apps import AppConfig


class RewardsConfig(AppConfig):
    name = "xinzhi.rewards"
    label = "rewards"
    verbose_name = "政策兑现"

    def ready(self) -> None:
        from xinzhi.rewards import jobs

        jobs.register()
        from xinzhi.core.timeline import register_timeline_provider
        from xinzhi.rewards.selectors import reward_timeline_items

        register_timeline_provider(reward_timeline_items)
