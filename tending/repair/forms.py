from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from tending.coach.hint import coach_attrs
from tending.lib.timeutil import to_utc
from tending.repair.content import content
from tending.repair.models import MESSAGE_MAX, NOTE_MAX, OWN_TOPIC_MAX, AnswerKind

FLOODED_CHOICES = [
    ("no", "I'm upset, and I can think clearly"),
    ("yes", "It's too much right now: racing heart, hot face, a head full of noise"),
]
# How far ahead a "let's talk at" time may be.
TALK_AT_HORIZON = timedelta(days=60)
DATETIME_LOCAL_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M")


class StartForm(forms.Form):
    topic = forms.ChoiceField(label="What was it about?", widget=forms.RadioSelect)
    own_topic = forms.CharField(
        label="In your own words (if it's something else)",
        required=False,
        max_length=OWN_TOPIC_MAX,
    )
    what_happened = forms.CharField(
        label="What happened?",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Just for you. Write it however it comes.",
    )
    what_i_felt = forms.CharField(
        label="What did you feel?",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Hurt, lonely, worried, tired… the feeling under the first one counts too.",
    )
    flooded = forms.ChoiceField(
        label="Right now, how is your body?", choices=FLOODED_CHOICES, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [*content().topics, ("own", "Something else")]
        self.fields["topic"].error_messages["required"] = "Please choose what it was about."
        self.fields["flooded"].error_messages["required"] = "Please choose the one that fits."

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["own_topic"] = " ".join(data.get("own_topic", "").split())
        if data.get("topic") == "own" and not data["own_topic"]:
            self.add_error("own_topic", "A word or two is enough.")
        if data.get("topic") != "own":
            data["own_topic"] = ""
        return data


class MyPartForm(forms.Form):
    """One optional answer per owning-my-part prompt."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for prompt in content().owning_prompts:
            self.fields[f"p_{prompt.id}"] = forms.CharField(
                label=prompt.text,
                required=False,
                max_length=NOTE_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def answers(self) -> dict[str, str]:
        return {
            p.id: text
            for p in content().owning_prompts
            if (text := self.cleaned_data.get(f"p_{p.id}", "").strip())
        }


class MessageForm(forms.Form):
    message = forms.CharField(
        label="Your repair message",
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 5, **coach_attrs("message")}),
        help_text="Start from your side: what you feel, what you'd like. "
        "It stays private until you send it.",
    )


class AnswerForm(forms.Form):
    kind = forms.ChoiceField(label="How would you like to answer?", widget=forms.RadioSelect)
    talk_at = forms.CharField(
        label="When would you like to talk? (your time)",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="Only if you suggest a time.",
    )
    note = forms.CharField(
        label="Anything you'd like to add (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, user: Any, allow_talk_at: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        kinds = [(k.value, k.label) for k in AnswerKind]
        if not allow_talk_at:
            kinds = [k for k in kinds if k[0] != AnswerKind.TALK_AT]
            del self.fields["talk_at"]
        self.fields["kind"].choices = kinds
        self.fields["kind"].error_messages["required"] = "Please choose an answer."

    def clean_talk_at(self) -> datetime | None:
        raw = (self.cleaned_data.get("talk_at") or "").strip()
        if not raw:
            return None
        for fmt in DATETIME_LOCAL_FORMATS:
            try:
                naive = datetime.strptime(raw, fmt)
            except ValueError:
                continue
            break
        else:
            raise forms.ValidationError("Please give a date and time, like 2025-06-01 19:30.")
        # The input is wall-clock time where the answering person lives.
        try:
            moment = to_utc(naive.date(), naive.time(), self.user.tz)
        except (OverflowError, ValueError):
            raise forms.ValidationError(
                "Please choose a time within the next two months."
            ) from None
        now = timezone.now()
        if moment < now - timedelta(minutes=5):
            raise forms.ValidationError("That time has already passed; please choose a later one.")
        if moment > now + TALK_AT_HORIZON:
            raise forms.ValidationError("Please choose a time within the next two months.")
        return moment

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        wants_time = data.get("kind") == AnswerKind.TALK_AT
        if wants_time and not data.get("talk_at") and "talk_at" not in self.errors:
            self.add_error("talk_at", "Please suggest a time to talk.")
        if data.get("kind") != AnswerKind.TALK_AT:
            data["talk_at"] = None
        return data
