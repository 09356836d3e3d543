from django.apps import AppConfig


class SpreadsheetsConfig(AppConfig):
    name = "xinzhi.spreadsheets"
    label = "spreadsheets"
    verbose_name = "Excel 导入导出"
