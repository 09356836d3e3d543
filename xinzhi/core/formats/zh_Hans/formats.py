"""Django's zh_Hans formats, grouping amounts by thousands (3,000 元) as the services' messages do.

Only where a template asks for grouping (`intcomma`, `floatformat:"0g"`); USE_THOUSAND_SEPARATOR
stays off, so form inputs and exports keep plain digits.
"""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3

# A DateInput renders its value in the first input format; <input type="date"> accepts only ISO
# (2024-05-31), so ISO comes first — Django's zh_Hans puts 2024/05/31 first and the browser then
# shows an empty date when a record is edited.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日"]
