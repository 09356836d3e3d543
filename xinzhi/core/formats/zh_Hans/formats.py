"""Django's zh_Hans formats, grouping amounts by thousands (3,000 元) as the services' messages do.

Only where a template asks for grouping (`intcomma`, `floatformat:"0g"`); USE_THOUSAND_SEPARATOR
stays off, so form inputs and exports keep plain digits.
"""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
