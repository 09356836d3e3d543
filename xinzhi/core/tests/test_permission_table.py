"""Every page and API endpoint, as every role, against a table of expected status codes.

The URLs come from the resolver and the API's own routes, so a new page or endpoint without
a row in the table fails here: decide who may use it (accounts.permissions) and add the row.
Codes are for a GET of a page (405 for POST-only pages) and for each API operation with its
method and a valid body (BODIES; so the role guard, not the schema, answers).
Roles are asked in ROLES order, so an endpoint that changes state does so once, for the
first role allowed.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

# anon, enterprise user, expert, leader, other 板块's officer, own officer, admin
ROLES = ("anon", "firm", "expert", "leader", "xth", "gxq", "admin")


def _row(codes: str) -> dict[str, int]:
    return dict(zip(ROLES, (int(c) for c in codes.split()), strict=True))


# name: anon firm expert leader xth gxq admin
PAGES = {
    "accounts:login": "200 302 302 302 302 302 302",
    "accounts:logout": "302 405 405 405 405 405 405",
    "accounts:password_change": "302 200 200 200 200 200 200",
    "accounts:password_change_done": "302 200 200 200 200 200 200",
    "attraction:aftercare_advance": "302 405 405 405 405 405 405",
    "attraction:aftercare_create": "302 404 404 403 404 404 404",
    "attraction:aftercare_list": "302 403 403 200 200 200 200",
    "attraction:board": "302 403 403 200 200 200 200",
    "attraction:board_page": "302 403 403 200 200 200 200",
    "attraction:docking_add": "302 404 404 403 404 200 200",
    "attraction:follow_ups": "302 403 403 200 200 200 200",
    "attraction:lead_create": "302 403 403 403 200 200 200",
    "attraction:lead_detail": "302 404 404 200 404 200 200",
    "attraction:lead_drop": "302 405 405 405 405 405 405",
    "attraction:lead_edit": "302 404 404 403 404 200 200",
    "attraction:lead_export": "302 403 403 200 200 200 200",
    "attraction:lead_land": "302 404 404 403 404 200 200",
    "attraction:lead_list": "302 403 403 200 200 200 200",
    "attraction:lead_move": "302 405 405 405 405 405 405",
    "attraction:lead_restore": "302 405 405 405 405 405 405",
    "attraction:referral_advance": "302 405 405 405 405 405 405",
    "attraction:referral_create": "302 403 403 403 200 200 200",
    "attraction:referral_list": "302 403 403 200 200 200 200",
    "attraction:stats": "302 403 403 200 200 200 200",
    "calls:advance": "302 405 405 405 405 405 405",
    "calls:application": "302 200 200 200 404 200 200",
    "calls:application_assign": "302 405 405 405 405 405 405",
    "calls:application_decide": "302 405 405 405 405 405 405",
    "calls:application_edit": "302 200 403 403 404 200 200",
    "calls:application_formal": "302 405 405 405 405 405 405",
    "calls:application_submit": "302 405 405 405 405 405 405",
    "calls:application_withdraw": "302 405 405 405 405 405 405",
    "calls:applications": "302 200 200 200 200 200 200",
    "calls:apply": "302 200 403 403 200 200 200",
    "calls:attachment": "302 200 200 200 404 200 200",
    "calls:attachment_upload": "302 405 405 405 405 405 405",
    "calls:close": "302 405 405 405 405 405 405",
    "calls:create": "302 403 403 403 403 403 200",
    "calls:detail": "302 200 200 200 200 200 200",
    "calls:draw": "302 405 405 405 405 405 405",
    "calls:edit": "302 403 403 403 403 403 200",
    "calls:experts": "302 403 403 403 403 403 200",
    "calls:export": "302 403 403 200 200 200 200",
    "calls:list": "302 200 200 200 200 200 200",
    "calls:open": "302 405 405 405 405 405 405",
    "calls:publish": "302 405 405 405 405 405 405",
    "calls:ranking": "302 403 403 200 200 200 200",
    "calls:rescore_approve": "302 405 405 405 405 405 405",
    "calls:rescore_request": "302 405 405 405 405 405 405",
    "calls:results": "302 200 200 200 200 200 200",
    "calls:review": "302 404 200 200 404 200 200",
    "calls:review_declare": "302 405 405 405 405 405 405",
    "calls:reviews": "302 200 200 200 200 200 200",
    "calls:stages": "302 405 405 405 405 405 405",
    "core:healthz": "200 200 200 200 200 200 200",
    "core:home": "302 302 302 200 200 200 200",
    "cultivation:candidates": "302 403 403 200 200 200 200",
    "cultivation:candidates_export": "302 403 403 200 200 200 200",
    "cultivation:expiring": "302 403 403 200 200 200 200",
    "cultivation:health_card": "302 200 404 200 404 200 200",
    "cultivation:ladder": "302 403 403 200 200 200 200",
    "cultivation:move": "302 302 404 302 404 302 302",
    "cultivation:profile_edit": "302 403 404 403 404 200 200",
    "cultivation:stage_list": "302 403 403 200 200 200 200",
    "cultivation:what_if": "302 200 404 200 404 200 200",
    "enterprises:create": "302 403 403 403 200 200 200",
    "enterprises:detail": "302 200 404 200 404 200 200",
    "enterprises:edit": "302 403 404 403 404 200 200",
    "enterprises:export": "302 403 403 200 200 200 200",
    "enterprises:figures_create": "302 403 404 403 404 200 200",
    "enterprises:figures_edit": "302 403 404 403 404 200 200",
    "enterprises:figures_import": "302 403 403 403 200 200 200",
    "enterprises:figures_import_template": "302 403 403 200 200 200 200",
    "enterprises:incident_add": "302 403 404 403 404 200 200",
    "enterprises:incident_delete": "302 405 405 405 405 405 405",
    "enterprises:ip_add": "302 403 404 403 404 200 200",
    "enterprises:list": "302 403 403 200 200 200 200",
    "enterprises:title_add": "302 403 404 403 404 200 200",
    "jobs:cancel": "302 405 405 405 405 405 405",
    "jobs:detail": "302 404 404 404 404 200 200",
    "jobs:download": "302 404 404 404 404 200 200",
    "jobs:list": "302 200 200 200 200 200 200",
    "jobs:start": "302 405 405 405 405 405 405",
    # --- projects (项目推进) ---
    "projects:create": "302 403 403 403 200 200 200",
    "projects:dashboard": "302 403 403 200 200 200 200",
    "projects:detail": "302 403 403 200 404 200 200",
    "projects:edit": "302 403 403 403 404 200 200",
    "projects:export": "302 403 403 200 200 200 200",
    "projects:funded_create": "302 403 403 403 200 200 200",
    "projects:funded_detail": "302 403 403 200 404 200 200",
    "projects:funded_edit": "302 403 403 403 404 200 200",
    "projects:funded_export": "302 403 403 200 200 200 200",
    "projects:funded_list": "302 403 403 200 200 200 200",
    "projects:funded_stage": "302 405 405 405 405 405 405",
    "projects:issue_close": "302 405 405 405 405 405 405",
    "projects:issue_create": "302 405 405 405 405 405 405",
    "projects:issue_list": "302 403 403 200 200 200 200",
    "projects:list": "302 403 403 200 200 200 200",
    "projects:milestone_edit": "302 403 403 403 404 200 200",
    "projects:milestones_edit": "302 403 403 403 404 200 200",
    "projects:photo": "302 403 403 200 404 200 200",
    "projects:report_create": "302 403 403 403 404 200 200",
    "projects:report_edit": "302 403 403 403 404 200 200",
    "projects:reports_due": "302 403 403 200 200 200 200",
    # --- rewards ---
    "rewards:approve": "302 405 405 405 405 405 405",
    "rewards:budget": "302 403 403 200 403 403 200",
    "rewards:budget_edit": "302 405 405 405 405 405 405",
    "rewards:bulk": "302 405 405 405 405 405 405",
    "rewards:confirm": "302 405 405 405 405 405 405",
    "rewards:detail": "302 403 403 200 404 200 200",
    "rewards:export": "302 403 403 200 200 200 200",
    "rewards:list": "302 403 403 200 200 200 200",
    "rewards:mine": "302 200 403 403 403 403 403",
    "rewards:objection_resolve": "302 405 405 405 405 405 405",
    "rewards:pay": "302 403 404 403 404 403 200",
    "rewards:policies": "302 403 403 200 200 200 200",
    "rewards:publicity_create": "302 403 403 403 403 403 200",
    "rewards:publicity_list": "302 403 403 200 200 200 200",
    "rewards:publicity_public": "200 200 200 200 200 200 200",
    "rewards:return": "302 405 405 405 405 405 405",
    "rewards:run": "302 403 403 403 403 403 200",
    "rewards:run_detail": "302 403 403 403 403 403 200",
    # --- chains (产业链图谱): structure for all bureau staff, enterprise data by scope ---
    "chains:list": "302 403 403 200 200 200 200",
    "chains:detail": "302 403 403 200 200 200 200",
    "chains:metric": "302 403 403 200 200 200 200",
    "chains:nodes_export": "302 403 403 200 200 200 200",
    "chains:leader": "302 403 403 200 404 200 200",
    "chains:node": "302 403 403 200 200 200 200",
    "chains:membership_add": "302 403 403 403 200 200 200",
    "chains:membership_list": "302 403 403 200 200 200 200",
    "chains:membership_export": "302 403 403 200 200 200 200",
    "chains:membership_remove": "302 405 405 405 405 405 405",
    "chains:target_create": "302 403 403 403 403 403 200",
    "chains:lead_link": "302 403 403 403 200 200 200",
    "chains:target_list": "302 403 403 200 200 200 200",
    "chains:target_export": "302 403 403 200 200 200 200",
    "chains:target_convert": "302 403 403 403 200 200 200",
    "chains:target_status": "302 405 405 405 405 405 405",
    "chains:supply_list": "302 403 403 200 200 200 200",
    "chains:enterprise_panel": "302 200 404 200 404 200 200",
    "chains:supply_export": "302 403 403 200 200 200 200",
    "chains:supply_import": "302 403 403 403 200 200 200",
    "chains:supply_import_template": "302 403 403 403 200 200 200",
    # --- portal (企业服务端) ---
    "portal:accept": "404 404 404 404 404 404 404",
    "portal:contact_remove": "302 405 405 405 405 405 405",
    "portal:contacts": "302 200 403 403 403 403 403",
    "portal:declaration": "302 200 404 403 404 200 200",
    "portal:declaration_accept": "302 405 405 405 405 405 405",
    "portal:declaration_return": "302 405 405 405 405 405 405",
    "portal:declarations": "302 403 403 403 200 200 200",
    "portal:enterprise_accounts": "302 200 404 200 404 200 200",
    "portal:declare": "302 200 403 403 403 403 403",
    "portal:growth": "302 200 403 403 403 403 403",
    "portal:home": "302 200 403 403 403 403 403",
    "portal:invitation_revoke": "302 405 405 405 405 405 405",
    "portal:invitations": "302 403 403 403 200 200 200",
    "portal:requests": "302 200 403 403 403 403 403",
    # --- notifications (消息) ---
    "notifications:inbox": "302 200 200 200 200 200 200",
    "notifications:open": "302 404 404 404 404 302 404",
    "notifications:preferences": "302 200 200 200 200 200 200",
    "notifications:read_all": "302 405 405 405 405 405 405",
    "finance:enterprise_panel": "302 200 404 200 404 200 200",
    "finance:grant_create": "302 403 403 403 200 200 200",
    "finance:grant_export": "302 403 403 200 200 200 200",
    "finance:grant_list": "302 403 403 200 200 200 200",
    "finance:institution_create": "302 403 403 403 403 403 200",
    "finance:institution_edit": "302 403 403 403 403 403 200",
    "finance:institution_export": "302 403 403 200 200 200 200",
    "finance:institution_list": "302 403 403 200 200 200 200",
    "finance:ledger_import": "302 403 403 403 200 200 200",
    "finance:ledger_template": "302 403 403 200 200 200 200",
    "finance:loan_compensate": "302 403 404 403 404 200 200",
    "finance:loan_create": "302 403 403 403 200 200 200",
    "finance:loan_decide": "302 403 404 403 404 200 200",
    "finance:loan_detail": "302 403 404 200 404 200 200",
    "finance:loan_disburse": "302 403 404 403 404 200 200",
    "finance:loan_export": "302 403 403 200 200 200 200",
    "finance:loan_list": "302 403 403 200 200 200 200",
    "finance:loan_overdue": "302 403 404 403 404 200 200",
    "finance:loan_recover": "302 403 404 403 404 200 200",
    "finance:loan_repay": "302 403 404 403 404 200 200",
    "finance:order_advance": "302 405 405 405 405 405 405",
    "finance:order_create": "302 403 403 403 200 200 200",
    "finance:order_detail": "302 403 404 200 404 200 200",
    "finance:order_export": "302 403 403 200 200 200 200",
    "finance:order_list": "302 403 403 200 200 200 200",
    "finance:order_redeem": "302 403 404 403 404 200 200",
    "finance:order_void": "302 405 405 405 405 405 405",
    "finance:pool": "302 403 403 200 403 403 200",
    "finance:pool_capital": "302 403 403 403 403 403 200",
    "finance:product_list": "302 403 403 200 200 200 200",
    "finance:round_create": "302 403 403 403 200 200 200",
    "finance:round_export": "302 403 403 200 200 200 200",
    "finance:round_list": "302 403 403 200 200 200 200",
    "finance:stats": "302 403 403 200 200 200 200",
    # --- ecosystem (创新生态): reference data for the bureau, records by 板块 ---
    "ecosystem:carrier_create": "302 403 403 403 403 403 200",
    "ecosystem:carrier_detail": "302 403 403 200 200 200 200",
    "ecosystem:carrier_edit": "302 403 403 403 403 403 200",
    "ecosystem:carrier_export": "302 403 403 200 200 200 200",
    "ecosystem:carrier_link": "302 403 403 403 200 200 200",
    "ecosystem:carrier_list": "302 403 403 200 200 200 200",
    "ecosystem:carrier_push": "302 403 403 403 200 200 200",
    "ecosystem:competition_create": "302 403 403 403 403 403 200",
    "ecosystem:competition_detail": "302 403 403 200 200 200 200",
    "ecosystem:competition_edit": "302 403 403 403 403 403 200",
    "ecosystem:competition_list": "302 403 403 200 200 200 200",
    "ecosystem:entry_create": "302 403 403 403 200 200 200",
    "ecosystem:entry_detail": "302 404 404 200 404 200 200",
    "ecosystem:entry_export": "302 403 403 200 200 200 200",
    "ecosystem:entry_list": "302 403 403 200 200 200 200",
    "ecosystem:entry_result": "302 404 404 403 404 200 200",
    "ecosystem:entry_to_lead": "302 405 405 405 405 405 405",
    "ecosystem:listing_board": "302 403 403 200 200 200 200",
    "ecosystem:listing_create": "302 403 403 403 200 200 200",
    "ecosystem:listing_detail": "302 404 404 200 404 200 200",
    "ecosystem:listing_edit": "302 404 404 403 404 200 200",
    "ecosystem:listing_export": "302 403 403 200 200 200 200",
    "ecosystem:listing_list": "302 403 403 200 200 200 200",
    "ecosystem:listing_move": "302 405 405 405 405 405 405",
    "ecosystem:member_add": "302 403 403 403 403 403 200",
    "ecosystem:milestone_add": "302 405 405 405 405 405 405",
    "ecosystem:milestone_done": "302 405 405 405 405 405 405",
    "ecosystem:overview": "302 403 403 200 200 200 200",
    "ecosystem:spell_add": "302 403 403 403 200 200 200",
    "ecosystem:spell_close": "302 405 405 405 405 405 405",
    "ecosystem:task_advance": "302 405 405 405 405 405 405",
    "ecosystem:task_create": "302 403 403 403 403 403 200",
    "ecosystem:task_detail": "302 403 403 200 200 200 200",
    "ecosystem:task_list": "302 403 403 200 200 200 200",
    # --- dashboards ---
    "dashboards:cockpit": "302 403 403 200 200 200 200",
    "dashboards:screen": "302 403 403 200 200 200 200",
    "dashboards:compare": "302 403 403 200 403 403 200",
    "dashboards:target_import": "302 403 403 403 403 403 200",
    "dashboards:target_list": "302 403 403 403 403 403 200",
    "dashboards:target_template": "302 403 403 403 403 403 200",
    "dashboards:target_create": "302 403 403 403 403 403 200",
    "dashboards:target_edit": "302 403 403 403 403 403 200",
    "dashboards:target_delete": "302 405 405 405 405 405 405",
    "dashboards:value_import": "302 403 403 403 403 403 200",
    "dashboards:value_list": "302 403 403 403 403 403 200",
    "dashboards:value_template": "302 403 403 403 403 403 200",
    "dashboards:value_create": "302 403 403 403 403 403 200",
    "dashboards:value_edit": "302 403 403 403 403 403 200",
    "dashboards:value_delete": "302 405 405 405 405 405 405",
    "dashboards:ranking_list": "302 403 403 403 403 403 200",
    "dashboards:ranking_create": "302 403 403 403 403 403 200",
    "dashboards:ranking_edit": "302 403 403 403 403 403 200",
    "dashboards:ranking_delete": "302 405 405 405 405 405 405",
    # --- briefings (统计报告): leaders read, officers write their 板块's, templates the admin's ---
    "briefings:list": "302 403 403 200 200 200 200",
    "briefings:generate": "302 403 403 403 200 200 200",
    "briefings:report": "302 403 403 200 200 200 200",
    "briefings:detail": "302 403 403 200 404 200 200",
    "briefings:finalise": "302 405 405 405 405 405 405",
    "briefings:docx": "302 403 403 200 404 200 200",
    "briefings:xlsx": "302 403 403 200 404 200 200",
    "briefings:templates": "302 403 403 403 403 403 200",
    "briefings:template_edit": "302 403 403 403 403 403 200",
    "briefings:template_create": "302 403 403 403 403 403 200",
    "briefings:section_edit": "302 403 403 403 403 403 200",
}
# "METHOD path": anon firm expert leader xth gxq admin
API = {
    "GET /api/attraction/leads": "401 403 403 200 200 200 200",
    "GET /api/attraction/leads/{lead_id}": "401 404 404 200 404 200 200",
    "GET /api/attraction/stages": "401 403 403 200 200 200 200",
    "GET /api/calls": "401 200 200 200 200 200 200",
    "GET /api/calls/applications/{application_id}": "401 200 200 200 404 200 200",
    "GET /api/calls/reviews": "401 200 200 200 200 200 200",
    "GET /api/calls/{call_id}": "401 200 200 200 200 200 200",
    "GET /api/calls/{call_id}/applications": "401 200 200 200 200 200 200",
    "GET /api/calls/{call_id}/ranking": "401 403 403 200 200 200 200",
    "GET /api/cultivation/candidates/{family}": "401 403 403 200 200 200 200",
    "GET /api/cultivation/enterprises/{enterprise_id}/evaluation": "401 200 404 200 404 200 200",
    "GET /api/cultivation/ladder": "401 403 403 200 200 200 200",
    "GET /api/enterprises": "401 403 403 200 200 200 200",
    "GET /api/enterprises/{enterprise_id}": "401 200 404 200 404 200 200",
    "PATCH /api/enterprises/{enterprise_id}": "401 403 404 403 404 200 409",
    "POST /api/attraction/leads/{lead_id}/dockings": "401 404 404 403 404 200 200",
    "POST /api/attraction/leads/{lead_id}/land": "401 404 404 403 404 400 400",
    "POST /api/attraction/leads/{lead_id}/move": "401 404 404 403 404 200 400",
    "POST /api/calls/applications/{application_id}/decision": "401 403 403 403 404 403 200",
    "POST /api/calls/applications/{application_id}/submit": "401 400 403 403 404 400 400",
    "POST /api/calls/applications/{application_id}/withdraw": "401 400 403 403 404 400 400",
    "POST /api/calls/reviewer-relations": "401 403 200 403 403 403 200",
    "POST /api/calls/reviews/{assignment_id}/rescore-approval": "401 404 403 403 404 403 400",
    "POST /api/calls/reviews/{assignment_id}/rescore-request": "401 404 200 403 404 403 403",
    "POST /api/calls/reviews/{assignment_id}/scores": "401 404 400 403 404 403 403",
    "POST /api/calls/{call_id}/advance": "401 403 403 403 403 403 400",
    "POST /api/calls/{call_id}/close": "401 403 403 403 403 403 400",
    "POST /api/calls/{call_id}/draw": "401 403 403 403 403 403 200",
    "POST /api/calls/{call_id}/publish": "401 403 403 403 403 403 400",
    # --- projects (项目推进) ---
    "GET /api/projects/funded": "401 403 403 200 200 200 200",
    "GET /api/projects/funded/{funded_id}": "401 403 403 200 404 200 200",
    "GET /api/projects/key": "401 403 403 200 200 200 200",
    "GET /api/projects/key/{project_id}": "401 403 403 200 404 200 200",
    "POST /api/projects/key/{project_id}/reports": "401 403 403 403 404 200 400",
    # --- rewards ---
    "GET /api/rewards/entitlements": "401 403 403 200 200 200 200",
    "GET /api/rewards/payments": "401 403 403 200 200 200 200",
    # --- chains (产业链图谱) ---
    "GET /api/chains": "401 403 403 200 200 200 200",
    "GET /api/chains/{chain_id}": "401 403 403 200 200 200 200",
    "GET /api/chains/{chain_id}/metrics": "401 403 403 200 200 200 200",
    "GET /api/chains/memberships": "401 403 403 200 200 200 200",
    # xth may not register in 高新区 (400); gxq converts (200); then it is converted (400)
    "POST /api/chains/targets/{target_id}/convert": "401 403 403 403 400 200 400",
    # --- portal and notifications ---
    "GET /api/notifications": "401 200 200 200 200 200 200",
    "GET /api/portal/declarations": "401 200 403 403 200 200 200",
    "GET /api/portal/declarations/{declaration_id}": "401 200 403 403 404 200 200",
    "GET /api/finance/loans": "401 403 403 200 200 200 200",
    "GET /api/finance/loans/{loan_id}": "401 403 404 200 404 200 200",
    "GET /api/finance/orders": "401 403 403 200 200 200 200",
    "GET /api/finance/rounds": "401 403 403 200 200 200 200",
    "GET /api/finance/summary": "401 403 403 200 200 200 200",
    "POST /api/finance/loans/{loan_id}/repayments": "401 403 404 403 404 200 200",
    "POST /api/finance/rounds": "401 403 403 403 404 200 200",
    # --- ecosystem ---
    "GET /api/ecosystem/carriers": "401 403 403 200 200 200 200",
    "GET /api/ecosystem/entries": "401 403 403 200 200 200 200",
    "GET /api/ecosystem/figures": "401 403 403 200 200 200 200",
    "GET /api/ecosystem/listing": "401 403 403 200 200 200 200",
    "POST /api/ecosystem/entries/{entry_id}/lead": "401 404 404 403 404 200 400",
    "POST /api/ecosystem/listing/{candidate_id}/move": "401 404 404 403 404 200 400",
    # --- dashboards ---
    "GET /api/dashboards/indicators": "401 403 403 200 200 200 200",
    # --- briefings (统计报告) ---
    "GET /api/briefings": "401 403 403 200 200 200 200",
    "GET /api/briefings/{briefing_id}": "401 403 403 200 404 200 200",
}


@pytest.fixture
def world(db, users, jurisdictions, make_enterprise):
    """One of each object, in 高新区 (gxq): enterprise, lead, call in 专家评审, application …"""
    from xinzhi.accounts.services import user_create
    from xinzhi.attraction.models import Stage
    from xinzhi.attraction.services import lead_create, stages_ensure_defaults
    from xinzhi.calls import services as calls
    from xinzhi.calls.models import Call
    from xinzhi.calls.services import CategorySpec
    from xinzhi.finance.tests.world import finance_world

    stages_ensure_defaults()
    enterprise = make_enterprise("甲科技有限公司", "gxq", revenue=5000)
    firm = user_create(
        username="firm", password="xinzhi-test-pass", role="enterprise", enterprise_id=enterprise.pk
    )
    admin = users["admin"]
    lead = lead_create(actor=admin, data={"name": "激光项目", "jurisdiction": jurisdictions["gxq"]})
    now = timezone.now()
    call = calls.call_create(
        actor=admin,
        data={
            "name": "区科技项目认定",
            "kind": "certification",
            "year": 2024,
            "opens_at": now - dt.timedelta(days=30),
            "closes_at": now + dt.timedelta(days=10),
            "reviewers_per_application": 1,
            "aggregation": "mean",
            "certificate_prefix": "WJRD2024-",
        },
        categories=[CategorySpec("区科技项目认定")],
    )
    Call.objects.filter(pk=call.pk).update(stage="submission")
    call.refresh_from_db()
    application = calls.application_create(
        actor=admin,
        call=call,
        category=call.categories.first(),
        enterprise=enterprise,
        data={"title": "激光器研发"},
    )
    attachment = calls.attachment_add(
        actor=admin, application=application, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4")
    )
    application = calls.application_submit(actor=admin, application=application)
    Call.objects.filter(pk=call.pk).update(stage="expert_review")
    assignment = calls.assignment_create(
        actor=admin, application=application, reviewer=users["expert"]
    )
    items = {c.pk: Decimal(80) for c in call.criteria.all()}
    calls.score_submit(actor=users["expert"], assignment=assignment, items=items)
    job = _finished_export_job(owner=users["gxq"])
    from xinzhi.portal.services import declaration_submit

    declaration = declaration_submit(actor=firm, year=2024, data={"revenue": Decimal(5200)})
    people = {**users, "firm": firm}
    from xinzhi.projects.tests.world import permission_world

    projects = permission_world(
        admin=admin, jurisdiction=jurisdictions["gxq"], enterprise=enterprise
    )
    rewards_ids = _rewards_world(admin, enterprise)
    chain_ids = _chains_world(admin, enterprise, jurisdictions)
    ids = {
        "job": job.pk,
        "enterprise_version": enterprise.version,
        "docking": Stage.objects.get(code="docking").pk,
        "expert": users["expert"].pk,
        "criteria": [c.pk for c in call.criteria.all()],
        "enterprise": enterprise.pk,
        "lead": lead.pk,
        "call": call.pk,
        "application": application.pk,
        "attachment": attachment.pk,
        "assignment": assignment.pk,
        **{f"projects_{k}": v for k, v in projects.items()},
        **rewards_ids,
        **chain_ids,
        "declaration": declaration.pk,
        # gxq's notice of that declaration (only its recipient opens it)
        "notification": users["gxq"].notifications.get().pk,
    }
    ids.update(finance_world(admin, enterprise))  # 科技金融: loan, order, institution, pool
    ids.update(_ecosystem_world(admin, jurisdictions, make_enterprise))
    ids.update(_dashboards_world(admin, jurisdictions))
    from xinzhi.briefings.tests.world import permission_world as briefings_world

    ids.update(briefings_world(admin=admin, jurisdiction=jurisdictions["gxq"]))
    return people, ids


def _finished_export_job(owner):
    """An export job of the 高新区 officer with its result file: only they and the admin see it."""
    from xinzhi.jobs.models import Job, JobFile

    job = Job.objects.create(kind="enterprise_export", owner=owner, state=Job.State.SUCCEEDED)
    JobFile.objects.create(
        job=job, purpose=JobFile.Purpose.RESULT, name="企业名录.xlsx", digest="", size=2, data=b"PK"
    )
    return job


# "METHOD path": the JSON body, from the world's ids
BODIES = {
    "PATCH /api/enterprises/{enterprise_id}": lambda ids: {
        "version": ids["enterprise_version"],
        "summary": "改",
    },
    "POST /api/attraction/leads/{lead_id}/dockings": lambda ids: {
        "held_on": "2025-01-02",
        "form": "visit",
    },
    "POST /api/attraction/leads/{lead_id}/land": lambda ids: {
        "credit_code": "91320412MA1MXXXX0X",
        "create": True,
    },
    "POST /api/attraction/leads/{lead_id}/move": lambda ids: {"stage": ids["docking"]},
    "POST /api/calls/applications/{application_id}/decision": lambda ids: {"approved": True},
    "POST /api/calls/reviewer-relations": lambda ids: {
        "reviewer_id": ids["expert"],
        "enterprise_id": ids["enterprise"],
        "relation": "顾问",
    },
    "POST /api/calls/reviews/{assignment_id}/rescore-request": lambda ids: {"reason": "看错"},
    "POST /api/calls/reviews/{assignment_id}/scores": lambda ids: {
        "items": {str(c): "80" for c in ids["criteria"]},
    },
    "POST /api/projects/key/{project_id}/reports": lambda ids: {
        "month": ids["projects_report_month"],
        "invested_month": "5",
        "invested_total": "15",
        "progress": "主体施工",
    },
    "POST /api/chains/targets/{target_id}/convert": lambda ids: {
        "jurisdiction": ids["chain_jurisdiction"]
    },
    "POST /api/finance/loans/{loan_id}/repayments": lambda ids: {
        "paid_on": "2024-06-01",
        "amount": "1",
    },
    "POST /api/finance/rounds": lambda ids: {
        "enterprise_id": ids["enterprise"],
        "round_name": "a",
        "closed_on": "2024-01-01",
        "amount": "100",
        "investors": "某基金",
    },
    "POST /api/ecosystem/listing/{candidate_id}/move": lambda ids: {"stage": "restructured"},
}


def _kwargs(name: str, route: str, ids: dict[str, int]) -> dict[str, object]:
    """Real objects for a route's parameters, chosen by the URL's name."""
    app, _, url = name.partition(":")
    kwargs: dict[str, object] = {}
    if "<int:pk>" in route:
        if app == "calls":
            if url == "applications":  # a call's list of applications: the call's pk
                key = "call"
            elif url.startswith("application") or url in ("attachment_upload",):
                key = "application"
            elif url == "attachment":
                key = "attachment"
            elif url.startswith("review") or url.startswith("rescore"):
                key = "assignment"
            else:
                key = "call"
        elif app == "attraction":
            key = "lead"
        elif app == "jobs":
            key = "job"
        elif app == "projects":
            from xinzhi.projects.tests.world import page_key

            key = f"projects_{page_key(url)}"
        elif app == "rewards":
            key = REWARDS_KEYS.get(url, "entitlement")
        elif app == "portal":
            key = "enterprise" if url == "enterprise_accounts" else "declaration"
        elif app == "notifications":
            key = "notification"
        elif app == "finance":  # loan_*, order_*, institution_*, pool_*, enterprise_panel
            key = url.split("_")[0] if url.split("_")[0] in ids else "loan"
        elif app == "ecosystem":
            key = _ecosystem_key(url)
        elif app == "dashboards":
            key = f"dashboards_{url.split('_')[0]}"
        elif app == "briefings":
            from xinzhi.briefings.tests.world import page_key as briefings_key

            key = briefings_key(url)
        else:
            key = "enterprise"
        kwargs["pk"] = ids[key]
    if "<int:milestone_id>" in route:
        kwargs["milestone_id"] = ids["projects_milestone"]
    if "<int:year>" in route:
        kwargs["year"] = 2025
    if "<int:incident_id>" in route:
        kwargs["incident_id"] = 1  # POST-only: a GET is refused before any lookup
    if "<slug:family>" in route:
        kwargs["family"] = "hnte"
    if "<slug:kind>" in route:
        kwargs["kind"] = "reevaluate_all"
    if "<slug:stage>" in route:
        kwargs["stage"] = "reserve"
    for key in ("chain_id", "node_id", "membership_id", "target_id"):  # chains
        if f"<int:{key}>" in route:
            kwargs[key] = ids[key]
    if app == "chains" and "<int:enterprise_id>" in route:
        kwargs["enterprise_id"] = ids["enterprise"]  # the world's enterprise is the 链主
    if "<slug:metric>" in route:
        kwargs["metric"] = "completeness"
    if "<str:token>" in route:
        kwargs["token"] = "not-a-token"
    return kwargs


def _pages() -> list[tuple[str, str]]:
    """(namespace:name, route) of every page, without the admin and the API."""
    found: list[tuple[str, str]] = []

    def walk(patterns: list, namespace: str, prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                route = prefix + str(p.pattern)
                if route.startswith(("admin/", "api/")):
                    continue
                walk(p.url_patterns, p.namespace or namespace, route)
            elif isinstance(p, URLPattern):  # an unnamed page shows as its route: no row
                found.append(
                    (f"{namespace}:{p.name or prefix + str(p.pattern)}", prefix + str(p.pattern))
                )

    walk(get_resolver().url_patterns, "", "")
    return sorted(found)


def _operations() -> list[tuple[str, str]]:
    """(METHOD, path template) of every API operation, from the ninja API itself."""
    from xinzhi.api.api import api

    schema = api.get_openapi_schema()
    return sorted(
        (method.upper(), path) for path, methods in schema["paths"].items() for method in methods
    )


def _client(client, people: dict, role: str):
    client.logout()
    if role != "anon":
        client.force_login(people[role])
    return client


def test_every_page_and_endpoint_has_a_row():
    pages = {name for name, _ in _pages()}
    operations = {f"{m} {p}" for m, p in _operations()}
    assert sorted(pages - set(PAGES)) == [], "pages without a row in PAGES"
    assert sorted(set(PAGES) - pages) == [], "rows for pages that no longer exist"
    assert sorted(operations - set(API)) == [], "API operations without a row in API"
    assert sorted(set(API) - operations) == [], "rows for API operations that no longer exist"


@pytest.mark.parametrize("name,route", _pages())
def test_page_answers_each_role_as_the_table_says(client, world, name, route):
    from django.urls import reverse

    people, ids = world
    url = reverse(name, kwargs=_kwargs(name, route, ids))
    got = {}
    for role in ROLES:
        got[role] = _client(client, people, role).get(url).status_code
    assert got == _row(PAGES[name]), url


def api_url(path: str, ids: dict) -> str:
    """An API path with real objects of the world for its parameters."""
    return path.format(
        enterprise_id=ids["enterprise"],
        lead_id=ids["lead"],
        call_id=ids["call"],
        application_id=ids["application"],
        assignment_id=ids["assignment"],
        loan_id=ids["loan"],
        entry_id=ids.get("entry"),
        candidate_id=ids.get("listing"),
        family="hnte",
        project_id=ids.get("projects_project"),
        funded_id=ids.get("projects_funded"),
        chain_id=ids["chain_id"],
        target_id=ids["target_id"],
        declaration_id=ids["declaration"],
        briefing_id=ids.get("briefing"),
    )


@pytest.mark.parametrize("method,path", _operations())
def test_api_answers_each_role_as_the_table_says(client, world, method, path):
    people, ids = world
    url = api_url(path, ids)
    key = f"{method} {path}"
    body = json.dumps(BODIES[key](ids)) if key in BODIES else "{}"
    got = {}
    for role in ROLES:
        c = _client(client, people, role)
        if method == "GET":
            response = c.get(url)
        else:
            response = c.generic(method, url, body, content_type="application/json")
        got[role] = response.status_code
    assert got == _row(API[f"{method} {path}"]), url


# --- rewards ---
REWARDS_KEYS = {
    "run_detail": "reward_run",
    "publicity_public": "publicity",
    "objection_resolve": "objection",
}


def _rewards_world(admin, enterprise) -> dict[str, int]:
    """A 2024 new-高企 entitlement of the world's enterprise, approved and in an open publicity
    with an objection (the bundled example rule set)."""
    from xinzhi.enterprises.models import TitleHeld
    from xinzhi.rewards import services as rewards
    from xinzhi.rewards.models import Entitlement

    rewards.policies_load_bundled(actor=admin)
    TitleHeld.objects.unscoped().create(
        enterprise=enterprise, title="hnte", level="national", valid_from=dt.date(2024, 5, 1)
    )
    run = rewards.entitlement_run(actor=admin, year=2024)
    entitlement = Entitlement.objects.unscoped().get(enterprise=enterprise, item__code="hnte-new")
    rewards.entitlements_confirm(actor=admin, ids=[entitlement.pk])
    rewards.entitlements_approve(actor=admin, ids=[entitlement.pk])
    today = timezone.localdate()
    publicity = rewards.publicity_create(
        actor=admin,
        year=2024,
        title="",
        starts_on=today - dt.timedelta(days=2),
        ends_on=today + dt.timedelta(days=5),
    )
    objection = rewards.objection_record(
        publicity=publicity,
        entitlement_id=entitlement.pk,
        submitter="张三",
        contact="",
        content="异议",
    )
    return {
        "entitlement": entitlement.pk,
        "reward_run": run.pk,
        "publicity": publicity.pk,
        "objection": objection.pk,
    }


def _chains_world(admin, enterprise, jurisdictions):
    """A chain whose 链主 is the world's enterprise (高新区), a node and an open gap target."""
    from xinzhi.chains import services as chains

    chains.chains_load(
        data={
            "chains": [
                {
                    "code": "ev",
                    "name": "新能源汽车",
                    "nodes": [
                        {"code": "vehicle", "name": "整车", "position": "downstream", "key": True}
                    ],
                }
            ]
        }
    )
    from xinzhi.chains.models import Node

    node = Node.objects.get(chain__code="ev", code="vehicle")
    membership = chains.membership_add(
        actor=admin, node=node, enterprise=enterprise, data={"role": "leader"}
    )
    target = chains.target_create(
        actor=admin, node=node, data={"name": "外地整车企业", "source": "research"}
    )
    return {
        "chain_id": node.chain_id,
        "node_id": node.pk,
        "membership_id": membership.pk,
        "target_id": target.pk,
        "chain_jurisdiction": jurisdictions["gxq"].pk,
    }


# --- ecosystem ---------------------------------------------------------------------------


def _ecosystem_world(admin, jurisdictions, make_enterprise) -> dict[str, int]:
    """An incubator with a spell, a 揭榜挂帅 task with a milestone, a competition with an outside
    team's entry and a listing candidate, all in 高新区 (gxq)."""
    from xinzhi.ecosystem import services as eco

    gxq = jurisdictions["gxq"]
    carrier = eco.carrier_create(
        actor=admin, data={"name": "高新区孵化器", "kind": "incubator", "jurisdiction": gxq}
    )
    spell = eco.spell_start(
        actor=admin,
        carrier=carrier,
        enterprise=make_enterprise("丙孵化科技有限公司", "gxq"),
        entered_on=dt.date(2024, 3, 1),
    )
    task = eco.task_create(
        actor=admin,
        data={
            "title": "关键材料攻关",
            "challenge": "突破",
            "issuer": "甲",
            "published_on": dt.date(2024, 1, 1),
        },
    )
    milestone = eco.milestone_add(
        actor=admin, task=task, data={"name": "中试", "planned_on": dt.date(2024, 6, 1)}
    )
    competition = eco.competition_create(
        actor=admin, data={"name": "创业江苏", "year": 2025, "level": "provincial"}
    )
    entry = eco.entry_create(
        actor=admin,
        data={
            "competition": competition,
            "project_name": "氮化硼膜",
            "team_name": "上海团队",
            "jurisdiction": gxq,
        },
    )
    listing = eco.listing_add(
        actor=admin, enterprise=make_enterprise("乙上市后备有限公司", "gxq"), data={"board": "star"}
    )
    return {
        "carrier": carrier.pk,
        "spell": spell.pk,
        "task": task.pk,
        "milestone": milestone.pk,
        "competition": competition.pk,
        "entry": entry.pk,
        "listing": listing.pk,
    }


def _ecosystem_key(url: str) -> str:
    """Which world object an ecosystem route's <pk> is, by the URL's name."""
    for prefix, key in (
        ("spell_close", "spell"),
        ("milestone_done", "milestone"),
        ("milestone_add", "task"),
        ("task", "task"),
        ("competition", "competition"),
        ("entry", "entry"),
        ("listing", "listing"),
    ):
        if url.startswith(prefix):
            return key
    return "carrier"


# --- dashboards --------------------------------------------------------------------------


def _dashboards_world(admin, jurisdictions) -> dict[str, int]:
    """A 高新区 target, a district typed-in value and a city ranking (the admin keeps them)."""
    from xinzhi.dashboards import services as dash
    from xinzhi.dashboards.models import Indicator

    dash.indicators_ensure_defaults()  # a browser test's flush drops migration data
    indicator = Indicator.objects.get(code="attracted_tsme")
    target = dash.target_save(
        actor=admin,
        data={
            "indicator": indicator,
            "year": 2024,
            "level": "district",
            "value": Decimal(60),
            "jurisdiction": jurisdictions["gxq"],
        },
    )
    value = dash.manual_value_save(
        actor=admin,
        data={
            "indicator": indicator,
            "year": 2024,
            "month": 9,
            "value": Decimal(372),
            "source_note": "通报",
        },
    )
    ranking = dash.city_ranking_save(
        actor=admin,
        data={
            "indicator": indicator,
            "year": 2024,
            "month": 9,
            "rank": 1,
            "among": 7,
            "source": "通报",
        },
    )
    return {
        "dashboards_target": target.pk,
        "dashboards_value": value.pk,
        "dashboards_ranking": ranking.pk,
    }
