from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import DEFAULT_DB_ALIAS, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tending.bonds.events import member_joined
from tending.bonds.forms import BondForm, InviteEmailForm
from tending.bonds.models import Bond, Invitation, Kind, Membership
from tending.lib import emails
from tending.lib.plans import Planned


def landing(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("bonds:home")
    return render(request, "landing.html")


def member_bond(request: HttpRequest, pk: int) -> Bond:
    """The bond `pk` if the signed-in person belongs to it (or keeps its archive); else 404.

    A 404 rather than a 403, so an outsider cannot even learn that a bond exists."""
    bond = bond_with_members(pk, request.user)
    if bond is None:
        raise Http404("No such bond")
    # The facts read with the bond (see bond_with_members), kept on the request too,
    # where the apps that registered them look first (the safety state, the header's
    # unread count).
    request._bond_facts = bond.__dict__["_facts"]
    return bond


def bond_with_members(pk: int, user: Any) -> Bond | None:
    """The bond `pk` with its memberships (and their people) in one query, if
    `user` belongs to it or keeps its archive (what `Bond.objects.of` means).

    Every bond page starts here, so it reads the memberships joined to their
    bond and person, and hands them to `bond.memberships.all()` as Django's
    prefetch would: `membership_of`, `other_member` and `is_open_for` then ask
    nothing more for the rest of the request.

    The same query reads the few facts every bond page needs besides the bond,
    each as a scalar subquery registered by the app that owns it (BOND_FACTS):
    whether the viewer's safety screen is positive, how many unread
    notifications the header counts, whether touch is turned on in the bond.
    They are read once, here, instead of in more queries later in the request,
    and kept in `bond._facts`."""
    if getattr(user, "pk", None) is None:
        return None
    person = get_user_model()
    user_columns = _columns(person)
    facts = tuple(sorted(BOND_FACTS))
    b, u = len(_MEMBER_COLUMNS), len(_MEMBER_COLUMNS) + len(_BOND_COLUMNS)
    f = u + len(user_columns)
    rows = []
    bond = None
    for row in _MEMBERS.rows(facts, int(pk), user.pk):
        member = Membership.from_db(DEFAULT_DB_ALIAS, _MEMBER_COLUMNS, row[:b])
        if bond is None:
            bond = Bond.from_db(DEFAULT_DB_ALIAS, _BOND_COLUMNS, row[b:u])
            bond.__dict__["_facts"] = dict(zip(facts, row[f:], strict=True))
        member.user = person.from_db(DEFAULT_DB_ALIAS, user_columns, row[u:f])
        rows.append(member)
    if not any(m.user_id == user.pk and m.archive_deleted_at is None for m in rows):
        return None
    assert bond is not None
    for m in rows:
        m.bond = bond
    members = bond.memberships.all()
    members._result_cache = rows
    members._prefetch_done = True
    bond._prefetched_objects_cache = {"memberships": members}
    return bond


# Facts that bond pages need besides the bond, read in the same query
# (bond_with_members): name -> a function of the viewer's id giving a scalar
# subquery, in which OuterRef("bond_id") is the bond. The apps that own them
# register them when Django starts (their AppConfig.ready), so this app, on a
# lower floor, needs none of theirs.
BOND_FACTS: dict[str, Callable[[int], Any]] = {}


def register_bond_fact(name: str, expression: Callable[[int], Any]) -> None:
    BOND_FACTS[name] = expression


def _members_query(facts: tuple[str, ...], pk: int, user_pk: int) -> Any:
    """The memberships of bond `pk`, each with its bond and person, then the facts,
    as plain columns: its SQL is built once per process (tending.lib.plans), and
    bond_with_members makes the objects from the rows."""
    annotations = {f"fact_{name}": BOND_FACTS[name](user_pk) for name in facts}
    return (
        Membership.objects.filter(bond_id=pk)
        .order_by("pk")
        .annotate(**annotations)
        .values_list(
            *_MEMBER_COLUMNS,
            *(f"bond__{name}" for name in _BOND_COLUMNS),
            *(f"user__{name}" for name in _columns(get_user_model())),
            *annotations,
        )
    )


def _columns(model: Any) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


_MEMBER_COLUMNS = _columns(Membership)
_BOND_COLUMNS = _columns(Bond)
_MEMBERS = Planned(_members_query)


def open_bond(request: HttpRequest, pk: int) -> Bond:
    """Like member_bond, for pages that write: an ended bond is read-only."""
    bond = member_bond(request, pk)
    if not bond.is_open_for(request.user):
        raise Http404("This bond has ended")
    return bond


@login_required
def home(request: HttpRequest) -> HttpResponse:
    bonds = (
        Bond.objects.of(request.user).prefetch_related("memberships__user").order_by("-created_at")
    )
    active, archived = [], []
    for bond in bonds:
        item = {"bond": bond, "other": bond.other_member(request.user)}
        (active if bond.is_active else archived).append(item)
    return render(request, "bonds/home.html", {"active": active, "archived": archived})


@login_required
def create(request: HttpRequest) -> HttpResponse:
    form = BondForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            bond = Bond.objects.create(kind=form.cleaned_data["kind"], created_by=request.user)
            Membership.objects.create(bond=bond, user=request.user)
            if bond.kind != Kind.JUST_ME:
                Invitation.objects.create(bond=bond, created_by=request.user)
        return redirect(bond)
    return render(request, "bonds/create.html", {"form": form})


def invitation_context(bond: Bond, user: Any) -> dict[str, Any]:
    """What the invitation box (bonds/_invite.html) shows for a bond not yet shared."""
    ctx: dict[str, Any] = {
        "open": bond.is_open_for(user),
        "invitation": None,
        "last_invitation": None,
        "email_form": InviteEmailForm(),
    }
    if ctx["open"] and bond.other_member(user) is None and bond.kind != Kind.JUST_ME:
        ctx["invitation"] = bond.pending_invitation()
        ctx["last_invitation"] = bond.invitations.order_by("-created_at").first()
    return ctx


@login_required
@require_POST
def invite_new(request: HttpRequest, pk: int) -> HttpResponse:
    bond = open_bond(request, pk)
    if bond.other_member(request.user) is not None or bond.kind == Kind.JUST_ME:
        messages.info(request, "This bond has no room for another person.")
        return redirect(bond)
    now = timezone.now()
    with transaction.atomic():
        bond.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=now
        )
        Invitation.objects.create(bond=bond, created_by=request.user)
    messages.success(request, "Here is a fresh invitation link. Any earlier link no longer works.")
    return redirect(bond)


@login_required
@require_POST
def invite_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    bond = open_bond(request, pk)
    bond.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    messages.success(request, "The invitation link has been withdrawn. It no longer works.")
    return redirect(bond)


@login_required
@require_POST
def invite_email(request: HttpRequest, pk: int) -> HttpResponse:
    bond = open_bond(request, pk)
    invitation = bond.pending_invitation()
    form = InviteEmailForm(request.POST)
    if invitation is None:
        messages.error(request, "There is no open invitation to send. Make a new link first.")
        return redirect(bond)
    if not form.is_valid():
        ctx = {
            "bond": bond,
            "open": True,
            "invitation": invitation,
            "last_invitation": invitation,
            "email_form": form,
        }
        return render(request, "bonds/invite.html", ctx, status=400)
    Invitation.objects.filter(pk=invitation.pk).update(email=form.cleaned_data["email"])
    emails.send(
        "invitation",
        form.cleaned_data["email"],
        {
            "inviter": request.user.display_name,
            "kind": bond.get_kind_display().lower(),
            "invite_url": invitation.get_absolute_url(),
            "expires_at": invitation.expires_at,
        },
    )
    messages.success(request, "We've emailed the invitation link.")
    return redirect(bond)


_STATUS_MESSAGES = {
    "expired": "This invitation has expired. Invitations last fourteen days; "
    "you could ask for a new link.",
    "revoked": "This invitation link was withdrawn by the person who made it. "
    "If you were expecting it, you could ask them for a new one.",
    "accepted": "This invitation has already been used.",
    "declined": "This invitation was declined, so the link no longer works.",
}


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    inv = Invitation.from_token(token)
    if inv is None:
        return render(request, "bonds/invitation_gone.html", {"message": None}, status=404)
    status = inv.status
    if status == "pending" and not inv.bond.is_active:
        status = "revoked"
    if status != "pending":
        return render(
            request, "bonds/invitation_gone.html", {"message": _STATUS_MESSAGES[status]}, status=410
        )
    is_inviter = request.user.is_authenticated and request.user.pk == inv.created_by_id
    already_member = (
        request.user.is_authenticated and inv.bond.memberships.filter(user=request.user).exists()
    )
    ctx = {
        "inv": inv,
        "token": token,
        "is_inviter": is_inviter,
        "already_member": already_member,
        "next": reverse("bonds:invitation", args=[token]),
    }
    return render(request, "bonds/invitation.html", ctx)


def _join(inv: Invitation, user: Any) -> bool:
    """Make `user` a member through `inv`; False if the invitation was used (or
    the bond filled) meanwhile. Single use: only one acceptance can flip
    accepted_at, even if two people press "join" at the same moment."""
    with transaction.atomic():
        claimed = Invitation.objects.filter(
            pk=inv.pk, accepted_at__isnull=True, revoked_at__isnull=True, declined_at__isnull=True
        ).update(accepted_at=timezone.now(), accepted_by=user)
        if claimed != 1 or inv.bond.memberships.count() >= inv.bond.capacity:
            transaction.set_rollback(True)
            return False
        Membership.objects.create(bond=inv.bond, user=user)
    return True


@login_required
@require_POST
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    inv = Invitation.from_token(token)
    if inv is None or inv.status != "pending" or not inv.bond.is_active:
        return redirect("bonds:invitation", token=token)
    if inv.created_by_id == request.user.pk:
        messages.info(
            request,
            "This is your own invitation. Send the link to the person you'd like to invite.",
        )
        return redirect(inv.bond)
    if not _join(inv, request.user):
        # Someone else used it a moment before: a calm page, rendered once the
        # transaction has been given back, never a 500.
        return render(
            request,
            "bonds/invitation_gone.html",
            {"message": _STATUS_MESSAGES["accepted"]},
            status=410,
        )
    member_joined.send(Bond, bond=inv.bond, member=request.user, inviter=inv.created_by)
    messages.success(request, f"You and {inv.created_by.display_name} now share this bond.")
    return redirect(inv.bond)


@require_POST
def invitation_decline(request: HttpRequest, token: str) -> HttpResponse:
    inv = Invitation.from_token(token)
    if inv is not None and inv.status == "pending":
        Invitation.objects.filter(pk=inv.pk, accepted_at__isnull=True).update(
            declined_at=timezone.now()
        )
    return render(request, "bonds/invitation_declined.html")


@login_required
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    bond = open_bond(request, pk)
    if request.method == "POST":
        bond.leave(request.user)
        messages.success(
            request,
            "You have left. What you wrote and what was shared with you is kept "
            "here as a read-only archive for as long as you want it.",
        )
        return redirect(bond)
    return render(request, "bonds/leave.html", {"bond": bond})


@login_required
def delete_archive(request: HttpRequest, pk: int) -> HttpResponse:
    bond = member_bond(request, pk)
    if bond.is_active:
        raise Http404("Only an ended bond's archive can be deleted")
    if request.method == "POST":
        from tending.bonds.privacy import entry_models

        with transaction.atomic():
            for model in entry_models():
                model.objects.filter(bond=bond, author=request.user).delete()
            Membership.objects.filter(bond=bond, user=request.user).update(
                archive_deleted_at=timezone.now()
            )
            if not bond.memberships.filter(archive_deleted_at__isnull=True).exists():
                bond.delete()
        messages.success(request, "The archive has been deleted.")
        return redirect("bonds:home")
    return render(request, "bonds/delete_archive.html", {"bond": bond})
