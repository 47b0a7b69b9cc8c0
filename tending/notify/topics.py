"""What people can be told about: one `Topic` per kind of moment.

Each topic says, once, how it reaches a person unless they choose otherwise:

- `app`: listed under Notifications in the app;
- `push`: a push notification on each phone they allowed (Account → Devices);
- `email`: an email, with a one-click unsubscribe.

Defaults follow one rule: push for "your turn" moments (the other person did
something that waits for you, or a reminder at its time), email for the weekly
and slower things, and the app for everything. Each person changes them per
topic on the Notifications settings page (`Preferences.wants`), and quiet
hours hold back push and email alike.

To add a topic, add a `Topic` to `TOPICS` below and call
`tending.notify.service.notify(user, topic="<key>", title=..., url=..., bond=...)`
where it happens. The title names what happened, never what anyone wrote: it
is what a push notification and an email show (docs/notifications.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

CHANNELS: tuple[str, ...] = ("app", "push", "email")
CHANNEL_LABELS: dict[str, str] = {"app": "In the app", "push": "Push", "email": "Email"}
# RFC 8030 urgencies: how eagerly a phone may wake for a push.
URGENCIES = ("very-low", "low", "normal", "high")


@dataclass(frozen=True)
class Topic:
    key: str
    label: str
    # The defaults, per channel, for someone who has not chosen.
    app: bool = True
    push: bool = False
    email: bool = True
    # Push only: how urgent (RFC 8030 Urgency) and how long the push service
    # may hold it for a phone that is off (TTL); after that it is dropped,
    # since the moment has passed (it is still in the app).
    urgency: str = "normal"
    ttl: timedelta = timedelta(hours=12)

    def __post_init__(self) -> None:
        if self.urgency not in URGENCIES:
            raise ValueError(f"topic {self.key}: urgency must be one of {URGENCIES}")

    def default(self, channel: str) -> bool:
        return bool(getattr(self, channel))


TOPICS: dict[str, Topic] = {
    t.key: t
    for t in (
        Topic("bond", "When someone joins, declines or leaves a bond", push=True),
        Topic("notes", "When a note or voice message arrives", push=True),
        Topic("rituals", "Reminders for your rituals", push=True, ttl=timedelta(hours=2)),
        Topic("conversation", "The weekly conversation", ttl=timedelta(days=1)),
        # "Your turn": the other person answered today's question.
        Topic("daily", "When the other person answers the daily question", push=True),
        # The other person reacted to or replied under a pair of answers: worth a push, but
        # not an email each (there may be several a day).
        Topic(
            "daily_talk", "Reactions and replies under your daily answers",
            push=True, email=False,
        ),
        # The other person shared how they feel with you.
        Topic("feelings", "When a feeling is shared with you", push=True),
        # The other person added a ritual for you both, and asks whether you want its reminders.
        Topic("ritual_added", "When a ritual is added for you both", push=True),
        Topic(
            "checkup", "A gentle suggestion to retake the check-up",
            urgency="low", ttl=timedelta(days=2),
        ),
        Topic("repair", "Repair messages and answers", push=True, urgency="high"),
        Topic("insights", "When a chat-history analysis is ready", urgency="low"),
    )
}  # fmt: skip
