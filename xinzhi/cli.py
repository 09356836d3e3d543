"""The `xinzhi` command: `xinzhi evaluate …` runs the pure engine; the rest are Django commands."""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "evaluate":
        from xinzhi.eligibility.cli import main as evaluate_main

        return evaluate_main(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["xinzhi", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
