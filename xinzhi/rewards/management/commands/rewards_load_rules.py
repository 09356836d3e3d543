"""Load reward rule sets (奖补规则) from YAML: the bundled ones, or the files named."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xinzhi.core.exceptions import ApplicationError
from xinzhi.rewards import services


class Command(BaseCommand):
    help = "载入奖补规则（YAML）；不带参数时载入 xinzhi/rewards/rulesets 下的全部规则文件"

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("files", nargs="*", help="规则文件路径")

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        try:
            if options["files"]:
                policies = []
                for name in options["files"]:
                    path = Path(name)
                    if not path.is_file():
                        raise CommandError(f"找不到规则文件：{path}")
                    policies.append(services.policy_load_file(actor=None, path=path))
            else:
                policies = services.policies_load_bundled()
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        for policy in policies:
            note = "（示例规则，非正式文本）" if policy.is_example else ""
            self.stdout.write(
                f"已载入 {policy.code}：{policy.name}{note}，{policy.items.count()} 个事项"
            )
