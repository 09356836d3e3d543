"""企业服务端 pages: the enterprise's own record, declarations, contacts, growth path; and the
officer's side (invitations, declaration review). Thin views over selectors and services."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from xinzhi.accounts import permissions
from xinzhi.accounts.permissions import rule_required
from xinzhi.core.errors import run_service
from xinzhi.core.exceptions import ApplicationError
from xinzhi.cultivation import selectors as cultivation
from xinzhi.enterprises import selectors as enterprise_selectors
from xinzhi.enterprises.models import Enterprise
from xinzhi.enterprises.services import FIGURE_FIELDS
from xinzhi.notifications.services import todo_for
from xinzhi.portal import selectors, services
from xinzhi.portal.choices import DeclarationStatus
from xinzhi.portal.forms import (
    AcceptForm,
    AcceptValuesForm,
    DeclarationForm,
    InvitationForm,
    ReturnForm,
    ServiceRequestForm,
)
from xinzhi.portal.models import Contact, Declaration, Invitation


def _own_enterprise(request: HttpRequest) -> Enterprise:
    try:
        return selectors.own_enterprise(user=request.user)
    except Enterprise.DoesNotExist as exc:
        raise Http404("未找到您所属的企业") from exc


def _declaration_or_404(request: HttpRequest, pk: int) -> Declaration:
    try:
        return selectors.declaration_get(user=request.user, pk=pk)
    except Declaration.DoesNotExist as exc:
        raise Http404("填报不存在或不在您的管辖范围内") from exc


def _back(request: HttpRequest) -> str:
    """After removing a contact or revoking an invitation: the page it was done from."""
    if permissions.is_enterprise_user(request.user):
        return "portal:contacts"
    return "portal:invitations"


# --- the enterprise's own pages ---------------------------------------------------------------


@rule_required(permissions.can_declare_figures, "企业服务端仅供企业用户使用")
def home(request: HttpRequest) -> HttpResponse:
    """我的企业: profile, figures, titles, IP, declarations and what is due."""
    enterprise = _own_enterprise(request)
    user = request.user
    context = {
        "enterprise": enterprise,
        "figures": list(
            reversed(enterprise_selectors.enterprise_figures(user=user, enterprise=enterprise))
        ),
        "titles": enterprise_selectors.enterprise_titles(user=user, enterprise=enterprise),
        "ip_summary": enterprise_selectors.enterprise_ip_summary(
            enterprise_selectors.enterprise_ip(user=user, enterprise=enterprise)
        ),
        "declarations": selectors.enterprise_declarations(user=user, enterprise=enterprise),
        "years_due": selectors.years_due(user=user, enterprise=enterprise),
        "applications": selectors.my_applications(user=user, enterprise=enterprise),
        "is_manager": permissions.is_enterprise_manager(user),
        "todo": todo_for(user=user),
    }
    return render(request, "portal/home.html", context)


@rule_required(permissions.can_declare_figures, "企业服务端仅供企业用户使用")
def declare(request: HttpRequest) -> HttpResponse:
    """企业填报: one year's figures, reviewed by the 板块 officer before they count."""
    enterprise = _own_enterprise(request)
    form = DeclarationForm(request.POST or None)
    if request.method == "GET" and request.GET.get("year", "").isdigit():
        form.fields["year"].initial = int(request.GET["year"])
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data.get(name) for name in FIGURE_FIELDS}
        if run_service(
            request,
            lambda: services.declaration_submit(
                actor=request.user, year=form.cleaned_data["year"], data=data
            ),
            success="填报已提交，区科技局审核后生效。",
            form=form,
        ):
            return redirect("portal:home")
    return render(request, "portal/declare.html", {"form": form, "enterprise": enterprise})


@rule_required(permissions.can_declare_figures, "企业服务端仅供企业用户使用")
def growth(request: HttpRequest) -> HttpResponse:
    """我的成长路径: the enterprise's own 培育体检 card and the open calls it could apply to."""
    enterprise = _own_enterprise(request)
    today = timezone.localdate()
    notice = ""
    try:
        report = cultivation.health_report(user=request.user, enterprise=enterprise, as_of=today)
    except ApplicationError as exc:
        report, notice = [], exc.message
    context = {
        "enterprise": enterprise,
        "report": report,
        "notice": notice,
        "as_of": today,
        "calls": selectors.open_calls(user=request.user, enterprise=enterprise),
    }
    return render(request, "portal/growth.html", context)


@rule_required(permissions.can_declare_figures, "企业服务端仅供企业用户使用")
def requests(request: HttpRequest) -> HttpResponse:
    """服务诉求: ask for 厂房, 融资, 供应链, 人才, 政策, 审批帮办 and follow the replies."""
    enterprise = _own_enterprise(request)
    form = ServiceRequestForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            request,
            lambda: services.service_request_submit(actor=request.user, **form.cleaned_data),
            success="诉求已提交，所在板块专员将尽快响应。",
            form=form,
        )
    ):
        return redirect("portal:requests")
    items = selectors.service_requests(user=request.user, enterprise=enterprise)
    return render(
        request, "portal/requests.html", {"form": form, "items": items, "enterprise": enterprise}
    )


@rule_required(permissions.can_declare_figures, "企业服务端仅供企业用户使用")
def contacts(request: HttpRequest) -> HttpResponse:
    """本企业账户: the contacts; the manager invites and removes colleagues here."""
    enterprise = _own_enterprise(request)
    is_manager = permissions.is_enterprise_manager(request.user)
    form = None
    if is_manager:
        form = InvitationForm(
            request.POST or None, manager_only=True, initial={"credit_code": enterprise.credit_code}
        )
        if request.method == "POST" and form.is_valid():
            created = _invite(request, form)
            if created:
                return created
    elif request.method == "POST":
        permissions.require(False, "只有企业管理员可以邀请联系人")
    context = {
        "enterprise": enterprise,
        "contacts": selectors.contacts(user=request.user, enterprise=enterprise),
        "invitations": selectors.invitations(user=request.user, enterprise=enterprise)[:20],
        "is_manager": is_manager,
        "form": form,
    }
    return render(request, "portal/contacts.html", context)


@require_POST
def contact_remove(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        outcome = run_service(
            request,
            lambda: services.contact_remove(actor=request.user, contact_id=pk),
            success="联系人已移除，其账户已停用。",
        )
    except Contact.DoesNotExist as exc:
        raise Http404("联系人不存在") from exc
    del outcome
    return redirect(_back(request))


# --- invitations (officers and enterprise managers) -----------------------------------------


def _invite(request: HttpRequest, form: InvitationForm) -> HttpResponse | None:
    """Run the invitation and show its one-time link (and mail it when an address was given)."""
    outcome = run_service(
        request,
        lambda: services.invitation_create(
            actor=request.user,
            credit_code=form.cleaned_data["credit_code"],
            contact_name=form.cleaned_data["contact_name"],
            mobile=form.cleaned_data.get("mobile", ""),
            email=form.cleaned_data.get("email", ""),
            is_manager=form.cleaned_data.get("is_manager", False),
        ),
        form=form,
    )
    if not outcome:
        return None
    invitation, token = outcome.value
    link = request.build_absolute_uri(reverse("portal:accept", args=[token]))
    mailed = services.invitation_mail(invitation=invitation, link=link)
    return render(
        request,
        "portal/invitation_created.html",
        {"invitation": invitation, "link": link, "mailed": mailed},
    )


@rule_required(permissions.can_edit_enterprise, "只有板块专员和区管理员可以邀请企业联系人")
def invitations(request: HttpRequest) -> HttpResponse:
    """企业账户邀请: invite a contact by credit code; the invitations in the officer's 板块."""
    form = InvitationForm(request.POST or None, initial=request.GET or None)
    if request.method == "POST" and form.is_valid():
        created = _invite(request, form)
        if created:
            return created
    page = Paginator(selectors.invitations(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "portal/invitations.html", {"form": form, "page": page})


@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        run_service(
            request,
            lambda: services.invitation_revoke(actor=request.user, invitation_id=pk),
            success="邀请已撤销，链接不再可用。",
        )
    except Invitation.DoesNotExist as exc:
        raise Http404("邀请不存在") from exc
    return redirect(_back(request))


@login_not_required
def accept(request: HttpRequest, token: str) -> HttpResponse:
    """Set a password from the invitation link (no login; the link is the credential, once)."""
    try:
        invitation = services.invitation_for_token(token)
    except ApplicationError as exc:
        return render(request, "portal/accept.html", {"error": exc.message}, status=404)
    form = AcceptForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            request,
            lambda: services.invitation_accept(
                token=token,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
            ),
            success="账户已开通，请用新密码登录。",
            form=form,
        )
    ):
        return redirect("accounts:login")
    return render(request, "portal/accept.html", {"form": form, "invitation": invitation})


def enterprise_accounts(request: HttpRequest, pk: int) -> HttpResponse:
    """企业账户与填报 panel of the enterprise page: contacts, invitations, declarations."""
    try:
        enterprise = Enterprise.objects.visible_to(request.user).get(pk=pk)
    except Enterprise.DoesNotExist as exc:
        raise Http404("企业不存在或不在您的管辖范围内") from exc
    user = request.user
    context = {
        "enterprise": enterprise,
        "contacts": selectors.contacts(user=user, enterprise=enterprise),
        "invitations": selectors.invitations(user=user, enterprise=enterprise)[:10],
        "declarations": selectors.enterprise_declarations(user=user, enterprise=enterprise),
        "editor": permissions.can_edit_enterprise(user),
    }
    template = "portal/enterprise_accounts.html"
    if request.htmx:
        template += "#panel"
    return render(request, template, context)


# --- declarations: the officer's review -------------------------------------------------------


@rule_required(permissions.can_review_declarations, "只有板块专员和区管理员可以审核企业填报")
def declarations(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in DeclarationStatus.values:
        status = ""
    queryset = selectors.declarations_for_review(user=request.user, status=status)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/declarations.html",
        {"page": page, "status": status, "statuses": DeclarationStatus.choices},
    )


def declaration(request: HttpRequest, pk: int) -> HttpResponse:
    """A declaration side by side with the record; officers accept or return it here."""
    item = _declaration_or_404(request, pk)
    reviewer = permissions.can_review_declarations(request.user)
    permissions.require(reviewer or permissions.can_declare_figures(request.user))
    waiting = item.status == DeclarationStatus.SUBMITTED
    context = {
        "item": item,
        "rows": selectors.declaration_comparison(user=request.user, declaration=item),
        "reviewer": reviewer,
        "accept_form": AcceptValuesForm(instance=item) if reviewer and waiting else None,
        "return_form": ReturnForm(initial={"version": item.version})
        if reviewer and waiting
        else None,
    }
    return render(request, "portal/declaration.html", context)


@require_POST
@rule_required(permissions.can_review_declarations, "只有板块专员和区管理员可以审核企业填报")
def declaration_accept(request: HttpRequest, pk: int) -> HttpResponse:
    item = _declaration_or_404(request, pk)
    form = AcceptValuesForm(request.POST, instance=item)
    if form.is_valid():
        values = {name: form.cleaned_data.get(name) for name in FIGURE_FIELDS}
        if run_service(
            request,
            lambda: services.declaration_accept(
                actor=request.user,
                declaration_id=item.pk,
                values=values,
                version=form.cleaned_data["version"],
            ),
            success=f"已采纳，{item.year}年度数据已更新，资质评估随之刷新。",
            form=form,
        ):
            return redirect("portal:declaration", pk=item.pk)
    item = _declaration_or_404(request, pk)
    context = {
        "item": item,
        "rows": selectors.declaration_comparison(user=request.user, declaration=item),
        "reviewer": True,
        "accept_form": form,
        "return_form": ReturnForm(initial={"version": item.version}),
    }
    return render(request, "portal/declaration.html", context, status=400)


@require_POST
@rule_required(permissions.can_review_declarations, "只有板块专员和区管理员可以审核企业填报")
def declaration_return(request: HttpRequest, pk: int) -> HttpResponse:
    item = _declaration_or_404(request, pk)
    form = ReturnForm(request.POST)
    if form.is_valid() and run_service(
        request,
        lambda: services.declaration_return(
            actor=request.user,
            declaration_id=item.pk,
            reason=form.cleaned_data["reason"],
            version=form.cleaned_data["version"],
        ),
        success="已退回企业，并附退回原因。",
        form=form,
    ):
        return redirect("portal:declaration", pk=item.pk)
    context = {
        "item": item,
        "rows": selectors.declaration_comparison(user=request.user, declaration=item),
        "reviewer": True,
        "accept_form": AcceptValuesForm(instance=item),
        "return_form": form,
    }
    return render(request, "portal/declaration.html", context, status=400)
