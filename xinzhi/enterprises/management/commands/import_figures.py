from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xinzhi.accounts.models import User
from xinzhi.core.exceptions import ApplicationError
from xinzhi.enterprises.imports import figures_import
from xinzhi.spreadsheets.importing import ImportFileError

DATA_ERROR = 2  # the file or a row was refused; 1 stays for usage errors (no file, no user)


class Command(BaseCommand):
    help = "从 Excel 导入年度经营数据：逐行校验，全部通过才写入（--dry-run 只校验）。"

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="以该用户身份导入（按其管辖范围校验）")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入")

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"用户不存在：{options['user']}")
        try:
            result = figures_import(actor=user, data=path.read_bytes(), dry_run=options["dry_run"])
        except (ImportFileError, ApplicationError) as exc:
            raise CommandError(exc.message, returncode=DATA_ERROR) from exc
        if not result.ok:
            for error in result.errors:
                self.stderr.write(f"第{error.row}行 [{error.column}]：{error.message}")
            raise CommandError(
                f"{result.rows} 行中发现 {len(result.errors)} 处问题，未写入任何数据。",
                returncode=DATA_ERROR,
            )
        verb = "校验通过（未写入）" if result.dry_run else "已导入"
        unchanged = f"，{result.unchanged} 条与现有数据相同" if result.unchanged else ""
        self.stdout.write(
            f"{verb}：{result.rows} 行，新增 {result.created} 条，更新 {result.updated} 条"
            f"{unchanged}。"
        )
        if result.enterprises:
            future = "将" if result.dry_run else ""
            self.stdout.write(f"{future}变更的企业（{result.enterprise_count} 家）：")
        for change in result.enterprises:
            years = []
            if change.created_years:
                years.append(f"{future}新增 {'、'.join(map(str, change.created_years))}")
            if change.updated_years:
                years.append(f"{future}更新 {'、'.join(map(str, change.updated_years))}")
            self.stdout.write(f"  {change.name}（{change.credit_code}）：{'；'.join(years)}")
        if result.enterprise_count > len(result.enterprises):
            self.stdout.write(f"  ……仅列出前 {len(result.enterprises)} 家。")
