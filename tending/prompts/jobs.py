from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from tending.notify.service import notify
from tending.ops.jobs import job
from tending.prompts.models import Conversation, ConversationSlot
from tending.prompts.schedule import REMIND_BEFORE, next_reminder
from tending.prompts.state import prompt_state


@job
def remind_conversation() -> bool:
    """Remind both members, once, shortly before their weekly conversation.

    The slot is claimed by moving `next_reminder_at` on to the following week with a
    conditional UPDATE on the value that was read: one worker wins, and a slot is handled once
    per week however many workers run. An ended bond's slot is retired. Nobody is reminded of a
    week whose conversation is already recorded, or of a slot long past (a worker that was down)."""
    now = timezone.now()
    slot = (
        ConversationSlot.objects.filter(next_reminder_at__lte=now)
        .select_related("bond")
        .order_by("next_reminder_at", "pk")
        .first()
    )
    if slot is None:
        return False
    due = slot.next_reminder_at
    bond = slot.bond
    following = next_reminder(slot, now) if bond.is_active else None
    claimed = ConversationSlot.objects.filter(pk=slot.pk, next_reminder_at=due).update(
        next_reminder_at=following
    )
    if claimed != 1 or not bond.is_active:
        return True
    starts = due + REMIND_BEFORE
    if starts <= now:
        return True
    row = prompt_state(bond)
    week = row.day_index(starts.astimezone(row.tz).date()) // 7
    if Conversation.objects.filter(bond=bond, week=week, held_at__isnull=False).exists():
        return True
    url = reverse("prompts:conversation", args=[bond.pk])
    soon = f"in {int(REMIND_BEFORE.total_seconds() // 60)} minutes"
    members = [m.user for m in bond.memberships.select_related("user") if m.left_at is None]
    for member in members:
        other = next((m for m in members if m.pk != member.pk), None)
        if bond.is_solo_kind:
            title = f"Your weekly reflection time starts {soon}."
        elif other is not None:
            title = f"Your weekly conversation with {other.display_name} starts {soon}."
        else:
            title = f"Your weekly conversation time starts {soon}."
        notify(member, topic="conversation", title=title, url=url, bond=bond)
    return True
