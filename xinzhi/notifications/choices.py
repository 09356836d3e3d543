from django.db import models


class Kind(models.TextChoices):
    """Kinds of notification (消息类型); each user chooses in-app and email per kind."""

    REVIEW_ASSIGNED = "review_assigned", "评审任务"
    REVIEW_DUE = "review_due", "评审即将到期"
    RESCORE_REQUESTED = "rescore_requested", "重新评分待批准"
    CALL_DEADLINE = "call_deadline", "申报即将截止"
    DECLARATION_SUBMITTED = "declaration_submitted", "企业填报待审核"
    DECLARATION_RETURNED = "declaration_returned", "企业填报被退回"
    DECLARATION_ACCEPTED = "declaration_accepted", "企业填报已采纳"
    REQUEST_NEW = "request_new", "新服务诉求"
    REQUEST_ANSWERED = "request_answered", "服务诉求已答复"
    REQUEST_OVERDUE = "request_overdue", "服务诉求超时未响应"
    LEAD_STALE = "lead_stale", "招商项目久未推进"
    FOLLOW_UP_DUE = "follow_up_due", "今日待跟进"
    TITLE_EXPIRING = "title_expiring", "资质即将到期"
    REPORT_DUE = "report_due", "月报待提交"
    INDICATOR_BEHIND = "indicator_behind", "指标落后序时进度"


# Kinds that report a decision rather than something waiting: on the 工作台 while unread.
NEWS_KINDS = (Kind.DECLARATION_RETURNED, Kind.DECLARATION_ACCEPTED)
