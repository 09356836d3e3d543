from django.contrib import admin

from xinzhi.chains.models import Chain, Node


class NodeInline(admin.TabularInline):
    model = Node
    fk_name = "chain"
    extra = 0
    fields = ("order", "code", "name", "parent", "position", "is_key", "description")


@admin.register(Chain)
class ChainAdmin(admin.ModelAdmin):
    """产业链 are data (loaded by `xinzhi load_chains`): the admin edits nodes, rates and 口径."""

    list_display = ("order", "name", "code", "value_added_rate", "weak_threshold", "is_active")
    list_editable = ("value_added_rate", "weak_threshold", "is_active")
    ordering = ("order",)
    inlines = [NodeInline]
