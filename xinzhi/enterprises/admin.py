from django.contrib import admin

from xinzhi.enterprises.models import Tag

# Enterprises are edited only through the scoped, audited pages, never through the admin.
admin.site.register(Tag)
admin.site.site_header = "新质平台后台"
admin.site.site_title = "新质平台后台"
