from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from tending.coach.hint import coach_attrs
from tending.lib.timeutil import local_today, to_utc
from tending.notes.audio import MAX_BYTES, TOO_BIG, AudioError, inspect
from tending.notes.models import Reaction, Timing

MAX_AHEAD = timedelta(days=366)
# A chosen moment this little in the past (the form took a while) still goes now.
GRACE = timedelta(minutes=2)


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Your note",
        required=False,
        max_length=1000,
        # The gentle-words coach follows the text as it is typed (never blocking).
        widget=forms.Textarea(
            attrs={"rows": 4, "maxlength": 1000, **coach_attrs("text", "coach-hint")}
        ),
        help_text="A few true words are plenty.",
    )
    voice = forms.FileField(
        label="A voice message (optional)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "audio/*"}),
        help_text="Up to five minutes and 10 MB.",
    )
    timing = forms.ChoiceField(
        label="When should it arrive?",
        choices=Timing.choices,
        initial=Timing.NOW,
        widget=forms.RadioSelect,
    )
    at_date = forms.DateField(
        label="Day", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    at_time = forms.TimeField(
        label="Time",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    at_zone = forms.ChoiceField(label="On whose clock?", required=False, widget=forms.RadioSelect)
    surprise_date = forms.DateField(
        label="Day", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    window_start = forms.TimeField(
        label="From",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    window_end = forms.TimeField(
        label="Until",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    window_zone = forms.ChoiceField(
        label="On whose clock?", required=False, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, sender: Any, recipient: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sender = sender
        self.recipient = recipient
        self.fields["at_zone"].choices = [
            ("mine", f"My clock ({sender.time_zone})"),
            ("theirs", f"{recipient.display_name}'s clock ({recipient.time_zone})"),
        ]
        self.fields["at_zone"].initial = "theirs"
        self.fields["window_zone"].choices = self.fields["at_zone"].choices
        self.fields["window_zone"].initial = "theirs"
        self.fields["surprise_date"].initial = local_today(recipient.tz) + timedelta(days=1)
        self.fields["window_start"].initial = "09:00"
        self.fields["window_end"].initial = "17:00"

    def clean_voice(self) -> Any:
        upload = self.cleaned_data.get("voice")
        if not upload:
            return None
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(TOO_BIG)
        data = upload.read(MAX_BYTES + 1)
        try:
            info = inspect(data)
        except AudioError as exc:
            raise forms.ValidationError(str(exc)) from None
        self.voice_data = data
        return info

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("text", "").strip() and not data.get("voice") and not self.errors:
            raise forms.ValidationError("Write a few words or add a voice message.")
        timing = data.get("timing")
        now = timezone.now()
        if timing == Timing.AT:
            data["deliver_at"] = self._chosen_moment(data, now)
        elif timing == Timing.SURPRISE:
            data["deliver_at"] = self._surprise_moment(data, now)
        else:
            data["deliver_at"] = now
        return data

    def _chosen_moment(self, data: dict[str, Any], now: datetime) -> datetime | None:
        day, at = data.get("at_date"), data.get("at_time")
        if day is None or at is None:
            self.add_error("at_time", "Choose a day and a time, or send it now.")
            return None
        tz = self.recipient.tz if data.get("at_zone") == "theirs" else self.sender.tz
        moment = to_utc(day, at, tz)
        if moment < now - GRACE:
            self.add_error("at_time", "That moment has already passed on that clock.")
        elif moment > now + MAX_AHEAD:
            self.add_error("at_date", "Choose a day within the coming year.")
        return max(moment, now)

    def _surprise_moment(self, data: dict[str, Any], now: datetime) -> datetime | None:
        """A random moment inside the window, on the clock the sender chose (the
        recipient's unless they chose their own), drawn now."""
        day, start, end = (
            data.get("surprise_date"),
            data.get("window_start"),
            data.get("window_end"),
        )
        if day is None or start is None or end is None:
            self.add_error("window_end", "Choose a day and a window for the surprise.")
            return None
        if end <= start:
            self.add_error("window_end", "The window should end after it starts.")
            return None
        theirs = data.get("window_zone") != "mine"
        tz = self.recipient.tz if theirs else self.sender.tz
        data["window_clock"] = "recipient" if theirs else "sender"
        data["window_tz"] = tz.key
        first, last = to_utc(day, start, tz), to_utc(day, end, tz)
        if last <= now:
            whose = "their" if theirs else "your"
            self.add_error("surprise_date", f"That window has already passed on {whose} clock.")
            return None
        if first > now + MAX_AHEAD:
            self.add_error("surprise_date", "Choose a day within the coming year.")
            return None
        first = max(first, now)
        data["window"] = (first, last)
        span = int((last - first).total_seconds())
        return first + timedelta(seconds=secrets.randbelow(max(span, 1)))


class ReactionForm(forms.Form):
    reaction = forms.ChoiceField(choices=[("", "None"), *Reaction.choices], required=False)
