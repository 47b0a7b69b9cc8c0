from __future__ import annotations

import json
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tending import __version__
from tending.accounts import throttle
from tending.accounts.export import export_for
from tending.accounts.forms import (
    DeleteAccountForm,
    LoginForm,
    PasswordResetForm,
    ProfileForm,
    SignupForm,
)
from tending.accounts.models import AccountEmail, PendingSignup, User
from tending.bonds.models import Bond, Membership
from tending.lib.clientip import client_ip
from tending.lib.middleware import CLEAR_SITE_DATA


def _safe_next(request: HttpRequest, value: str | None) -> str:
    if (
        value
        and len(value) <= 300
        and url_has_allowed_host_and_scheme(
            value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return value
    return ""


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("bonds:home")
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        # The same work and the same page whether or not the address is
        # registered: the worker looks it up and sends the email that fits, so
        # only the inbox's owner learns which (accounts.jobs).
        AccountEmail.objects.create(
            kind=AccountEmail.Kind.SIGNUP,
            email=email,
            display_name=form.cleaned_data["display_name"],
            time_zone=form.cleaned_data["time_zone"],
            password=make_password(form.cleaned_data["password"]),
            next_url=next_url,
        )
        return render(request, "accounts/signup_sent.html", {"email": email})
    return render(request, "accounts/signup.html", {"form": form, "next": next_url})


def password_reset(request: HttpRequest) -> HttpResponse:
    """Asks for an address and answers the same whether it has an account or
    not, in the same time: the worker sends the link if it does."""
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        AccountEmail.objects.create(kind=AccountEmail.Kind.RESET, email=form.cleaned_data["email"])
        return redirect("accounts:password_reset_done")
    return render(request, "accounts/password_reset.html", {"form": form})


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    pending = PendingSignup.objects.filter(token_hash=PendingSignup.hash_token(token)).first()
    if pending is None or pending.expired():
        return render(request, "accounts/confirm_invalid.html", status=410 if pending else 404)
    if request.method != "POST":
        # A GET only shows a button: mail scanners that follow links must not
        # create accounts.
        return render(request, "accounts/confirm.html", {"pending": pending})
    try:
        with transaction.atomic():
            user = User.objects.create(
                email=pending.email,
                display_name=pending.display_name,
                time_zone=pending.time_zone,
                password=pending.password,
            )
            PendingSignup.objects.filter(email__iexact=pending.email).delete()
    except IntegrityError:
        messages.info(request, "This address already has an account. Please log in.")
        return redirect("accounts:login")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, f"Welcome, {user.display_name}.")
    return redirect(pending.next_url or "bonds:home")


def login_view(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(next_url or "bonds:home")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        ip = client_ip(request)
        wait = throttle.wait_seconds(email)
        ip_wait = throttle.ip_wait_seconds(ip)
        if wait:
            form.add_error(
                None,
                "There have been several attempts to log in to this address. "
                f"For safety, please wait {throttle.describe_wait(wait)} and try again, "
                "or reset your password.",
            )
        elif ip_wait:
            form.add_error(
                None,
                "There have been many attempts to log in from this network. "
                f"For safety, please wait {throttle.describe_wait(ip_wait)} and try again.",
            )
        else:
            user = authenticate(request, username=email, password=form.cleaned_data["password"])
            if user is None:
                throttle.record_failure(email, ip)
                form.add_error(None, "That email and password don't match. Please try again.")
            else:
                throttle.record_success(email)
                login(request, user)
                return redirect(next_url or "bonds:home")
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    response = redirect("landing")
    # Nothing of this session stays on a shared phone.
    response["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


@login_required
def account(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Saved.")
        return redirect("accounts:account")
    return render(request, "accounts/account.html", {"form": form, "version": __version__})


@login_required
def export(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "accounts/export.html")
    data = export_for(request.user)
    stamp = timezone.now().strftime("%Y-%m-%d")
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    filename = quote(f"tending-export-{stamp}.json")
    response["Content-Disposition"] = f"attachment; filename={filename}"
    response["Cache-Control"] = "no-store"
    return response


@login_required
def delete(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        with transaction.atomic():
            for bond in Bond.objects.filter(memberships__user=user, ended_at__isnull=True):
                bond.leave(user)
            bond_ids = list(
                Bond.objects.filter(memberships__user=user).values_list("pk", flat=True)
            )
            logout(request)
            user.delete()
            # A bond nobody keeps an archive of has nothing left worth keeping.
            kept = set(
                Membership.objects.filter(
                    bond_id__in=bond_ids, archive_deleted_at__isnull=True
                ).values_list("bond_id", flat=True)
            )
            Bond.objects.filter(pk__in=set(bond_ids) - kept).delete()
        return render(request, "accounts/deleted.html")
    return render(request, "accounts/delete.html", {"form": form})
