"""Who may do what (权限规则): the one home of every role rule.

Views, the API, templates (`{% if rules.… %}` from the context processor) and services ask these
named rules instead of comparing roles. Jurisdiction scope is not here: what a person may see
of district data is `ScopedModel.objects.visible_to(user)`, and an object outside it is a 404.
The rules duck-type the domain objects (a call's `results_published_at`, an assignment's
`reviewer_id`), so accounts imports no domain app.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied

from xinzhi.accounts.choices import Role

BUREAU_ROLES = (Role.ADMIN, Role.LEADER, Role.OFFICER)
APPLICANT_ROLES = (Role.ADMIN, Role.OFFICER, Role.ENTERPRISE)
READ_ONLY_MESSAGE = "当前角色只能查看"
NOT_YOURS_MESSAGE = "当前角色无权查看"
ADMIN_ONLY_MESSAGE = "只有区管理员可以执行此操作"


def _role(user: Any) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "role", None)


# --- who is who ---------------------------------------------------------------------------


def is_bureau_staff(user: Any) -> bool:
    """区管理员, 领导 or 板块专员: the bureau's own people (not experts, not enterprises)."""
    return _role(user) in BUREAU_ROLES


def is_bureau_admin(user: Any) -> bool:
    """区管理员."""
    return _role(user) == Role.ADMIN


def is_reviewer(user: Any) -> bool:
    """评审专家."""
    return _role(user) == Role.REVIEWER


def is_enterprise_user(user: Any) -> bool:
    """企业用户."""
    return _role(user) == Role.ENTERPRISE


# --- district data (企业库, 培育, 招商) ------------------------------------------------------


def can_use_enterprise_lists(user: Any) -> bool:
    """Lists, statistics and exports of enterprises, the ladder and attraction (bureau only)."""
    return is_bureau_staff(user)


def can_edit_enterprise(user: Any, enterprise: Any = None) -> bool:
    """Create or change district records (企业, 招商, 培育); scope decides *which* ones."""
    return _role(user) in (Role.ADMIN, Role.OFFICER)


def sees_whole_district(user: Any) -> bool:
    return _role(user) in (Role.ADMIN, Role.LEADER)


def can_be_responsible_for(officer: Any, jurisdiction_id: int | None) -> bool:
    """Whether `officer` may be made responsible (负责人) for a record of that jurisdiction."""
    if officer is None or _role(officer) not in (Role.ADMIN, Role.OFFICER):
        return False
    if _role(officer) == Role.ADMIN and officer.jurisdiction_id is None:
        return True
    return jurisdiction_id is not None and jurisdiction_id in officer.visible_jurisdiction_ids()


# --- calls (项目申报与评审) ----------------------------------------------------------------


def sees_draft_calls(user: Any) -> bool:
    """Unpublished calls (草稿) exist for the bureau admin only; others get 404."""
    return is_bureau_admin(user)


def can_manage_calls(user: Any) -> bool:
    """Create, stage, draw reviewers, formal review, decide, publish, approve re-scores."""
    return is_bureau_admin(user)


def can_apply(user: Any) -> bool:
    """Fill in, submit or withdraw an application (申报)."""
    return _role(user) in APPLICANT_ROLES


def sees_ranking(user: Any) -> bool:
    """Ranking, per-reviewer scores and the export with scores."""
    return is_bureau_staff(user)


def sees_reviewer_names(user: Any) -> bool:
    """Reviewer identities next to scores and conflicts (others see 专家1, 专家2 …)."""
    return is_bureau_admin(user)


def sees_running_scores(user: Any, call: Any = None) -> bool:
    """Aggregate score, number of scores and threshold flags of applications.

    Never for experts (they must not see other reviewers' marks) nor for the applicant.
    """
    return is_bureau_staff(user)


def sees_unpublished_decisions(user: Any, call: Any) -> bool:
    """A decision (立项/认定, 不通过) before the call's results are published."""
    return is_bureau_staff(user) or getattr(call, "results_published_at", None) is not None


def can_score(user: Any, assignment: Any) -> bool:
    """Only the assigned expert, and only while the assignment stands (not withdrawn)."""
    return (
        is_reviewer(user)
        and getattr(assignment, "reviewer_id", None) == user.pk
        and getattr(assignment, "withdrawn_at", None) is None
    )


# --- enforcement --------------------------------------------------------------------------


def require(allowed: bool, message: str = NOT_YOURS_MESSAGE) -> None:
    """Raise PermissionDenied (→ 403 page / 403 JSON) unless `allowed`."""
    if not allowed:
        raise PermissionDenied(message)


def require_editor(user: Any) -> None:
    """403 for roles that only read district records (领导, 专家, 企业)."""
    require(can_edit_enterprise(user), READ_ONLY_MESSAGE)


def rule_required(
    rule: Callable[[Any], bool], message: str = NOT_YOURS_MESSAGE
) -> Callable[[Callable], Callable]:
    """Decorate a view or API operation: 403 unless `rule(request.user)`."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
            require(rule(request.user), message)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class UserRules:
    """The rules about one user, for templates: `{% if rules.bureau_staff %}`."""

    def __init__(self, user: Any) -> None:
        self.user = user

    @property
    def bureau_staff(self) -> bool:
        return is_bureau_staff(self.user)

    @property
    def bureau_admin(self) -> bool:
        return is_bureau_admin(self.user)

    @property
    def reviewer(self) -> bool:
        return is_reviewer(self.user)

    @property
    def enterprise_user(self) -> bool:
        return is_enterprise_user(self.user)

    @property
    def enterprise_lists(self) -> bool:
        return can_use_enterprise_lists(self.user)

    @property
    def edit_enterprises(self) -> bool:
        return can_edit_enterprise(self.user)

    @property
    def manage_calls(self) -> bool:
        return can_manage_calls(self.user)

    @property
    def apply(self) -> bool:
        return can_apply(self.user)

    @property
    def ranking(self) -> bool:
        return sees_ranking(self.user)

    @property
    def reviewer_names(self) -> bool:
        return sees_reviewer_names(self.user)

    @property
    def view_projects(self) -> bool:
        return can_view_projects(self.user)

    @property
    def edit_projects(self) -> bool:
        return can_edit_projects(self.user)

    @property
    def finance(self) -> bool:
        return can_view_finance(self.user)

    @property
    def record_finance(self) -> bool:
        return can_record_finance(self.user)

    @property
    def finance_reference(self) -> bool:
        return can_manage_finance_reference(self.user)

    @property
    def guarantee_pool(self) -> bool:
        return can_view_guarantee_pool(self.user)

    @property
    def dashboards(self) -> bool:
        return can_view_dashboards(self.user)

    @property
    def compare_sections(self) -> bool:
        return can_compare_sections(self.user)

    @property
    def manage_targets(self) -> bool:
        return can_manage_targets(self.user)


# --- projects (项目推进: 区重点项目, 科技计划项目) ------------------------------------------


def can_view_projects(user: Any) -> bool:
    """Key and funded project lists, details, dashboard, exports (bureau only; scope decides)."""
    return is_bureau_staff(user)


def can_edit_projects(user: Any) -> bool:
    """Register projects, record milestones, file monthly reports, close problems, stages."""
    return _role(user) in (Role.ADMIN, Role.OFFICER)


# --- rewards (政策兑现 免申即享) -------------------------------------------------------------


def can_view_rewards(user: Any) -> bool:
    """Entitlement lists, publicity lists and rules: the bureau (scope decides which rows)."""
    return is_bureau_staff(user)


def sees_reward_budget(user: Any) -> bool:
    """The budget and statistics pages: district-wide figures (区管理员, 领导)."""
    return sees_whole_district(user)


def can_manage_rewards(user: Any) -> bool:
    """测算, 审批, 公示, 拨付, budget and rules: the bureau admin."""
    return is_bureau_admin(user)


def can_confirm_rewards(user: Any) -> bool:
    """板块确认 or 退回 of entitlements (板块专员 for their 板块; the admin for any)."""
    return _role(user) in (Role.ADMIN, Role.OFFICER)


def can_confirm_bank_account(user: Any, enterprise: Any = None) -> bool:
    """An enterprise user confirms its own enterprise's bank account (收款账户)."""
    if not is_enterprise_user(user) or not getattr(user, "enterprise_id", None):
        return False
    return enterprise is None or user.enterprise_id == enterprise.pk


# --- chains (产业链图谱) --------------------------------------------------------------------


def can_view_chains(user: Any) -> bool:
    """Chain maps, "三度一率", node pages and the chain lists (bureau staff; data by scope)."""
    return is_bureau_staff(user)


def can_manage_chains(user: Any) -> bool:
    """Chain structure, outside core companies and gap targets (补链招商目标): the bureau admin."""
    return is_bureau_admin(user)


def can_edit_chain_members(user: Any) -> bool:
    """Place enterprises on nodes, import purchasing lists, turn targets into leads (by scope)."""
    return can_edit_enterprise(user)


# --- finance (科技金融) ----------------------------------------------------------------------


def can_view_finance(user: Any) -> bool:
    """Loans, vouchers, rounds, their statistics and exports (bureau staff; scope decides rows)."""
    return is_bureau_staff(user)


def can_record_finance(user: Any) -> bool:
    """Record loan steps, voucher grants and orders, equity rounds (within the user's 板块)."""
    return _role(user) in (Role.ADMIN, Role.OFFICER)


def can_manage_finance_reference(user: Any) -> bool:
    """Loan products, the guarantee pool's capital and 双创券 institutions: district-wide data."""
    return is_bureau_admin(user)


def can_view_guarantee_pool(user: Any) -> bool:
    """The pool is district money: its balance and leverage are read by district-wide roles."""
    return is_bureau_staff(user) and sees_whole_district(user)


# --- ecosystem ----------------------------------------------------------------------------


def can_see_ecosystem(user: Any) -> bool:
    """创新生态 pages (载体, 大赛, 上市后备): the bureau's staff; figures follow their scope."""
    return is_bureau_staff(user)


def can_manage_ecosystem(user: Any) -> bool:
    """Carriers, consortium members, 揭榜挂帅 tasks and competitions: district reference data."""
    return is_bureau_admin(user)


# --- portal (企业服务端) --------------------------------------------------------------------


def can_invite_contacts(user: Any) -> bool:
    """Invite an enterprise's contacts: officers and the admin (scope decides which
    enterprise), or the enterprise's own manager contact (for their enterprise only)."""
    return can_edit_enterprise(user) or is_enterprise_manager(user)


def is_enterprise_manager(user: Any) -> bool:
    """The enterprise user who manages their enterprise's other contacts (企业管理员)."""
    if not is_enterprise_user(user) or not getattr(user, "enterprise_id", None):
        return False
    contact = getattr(user, "enterprise_contact", None)
    return bool(
        contact is not None
        and contact.is_manager
        and contact.removed_at is None
        and contact.enterprise_id == user.enterprise_id
    )


def can_declare_figures(user: Any) -> bool:
    """Submit the enterprise's own figures as a declaration (企业填报)."""
    return is_enterprise_user(user) and bool(getattr(user, "enterprise_id", None))


def can_review_declarations(user: Any) -> bool:
    """Accept or return declarations (officers and the admin; scope decides which)."""
    return can_edit_enterprise(user)


# --- dashboards ---------------------------------------------------------------------------


def can_view_dashboards(user: Any) -> bool:
    """领导驾驶舱, indicators and their API (bureau staff; an officer sees their own 板块)."""
    return is_bureau_staff(user)


def can_compare_sections(user: Any) -> bool:
    """各板块比较 ranks every 板块: for the district-wide roles (admin, leader)."""
    return is_bureau_staff(user) and sees_whole_district(user)


def can_manage_targets(user: Any) -> bool:
    """Targets, typed-in values and city rankings (目标、填报、全市排名): district-wide data."""
    return is_bureau_admin(user)


# --- briefings (统计报告: 月报, 报表) -----------------------------------------------------------


def can_view_briefings(user: Any) -> bool:
    """统计报告 and their downloads: bureau staff (an officer's are their 板块's, by scope)."""
    return is_bureau_staff(user)


def can_write_briefings(user: Any) -> bool:
    """Generate, edit and finalise briefings: the admin and officers; leaders only read them."""
    return _role(user) in (Role.ADMIN, Role.OFFICER)


def can_edit_briefing_templates(user: Any) -> bool:
    """The sentence templates (句式模板) are the district's phrasing: the bureau admin's."""
    return is_bureau_admin(user)
