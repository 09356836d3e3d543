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


# --- ecosystem ----------------------------------------------------------------------------


def can_see_ecosystem(user: Any) -> bool:
    """创新生态 pages (载体, 大赛, 上市后备): the bureau's staff; figures follow their scope."""
    return is_bureau_staff(user)


def can_manage_ecosystem(user: Any) -> bool:
    """Carriers, consortium members, 揭榜挂帅 tasks and competitions: district reference data."""
    return is_bureau_admin(user)
