from __future__ import annotations

from typing import Any

from django import forms

from tending.rituals.catalog import DAY_NAMES


class RitualForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=80, error_messages={"required": "Give the ritual a name."}
    )
    description = forms.CharField(
        label="What it is (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    days = forms.TypedMultipleChoiceField(
        label="Which days",
        choices=list(enumerate(DAY_NAMES)),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one day."},
    )
    at = forms.TimeField(
        label="At what time",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="On each person's own clock: if you live in different time zones, "
        "each of you is reminded at this time where you are.",
    )
    minutes = forms.IntegerField(
        label="About how many minutes", min_value=1, max_value=600, initial=10
    )
    remind_me = forms.BooleanField(
        label="Remind me",
        required=False,
        initial=True,
        help_text="Only you get your reminders. Nothing comes on a day it's already done.",
    )
    template = forms.CharField(required=False, max_length=48, widget=forms.HiddenInput)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["remind_me"]

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())


class DoneForm(forms.Form):
    day = forms.ChoiceField(
        choices=[("today", "Today"), ("yesterday", "Yesterday")], required=False
    )


class RemindersForm(forms.Form):
    enabled = forms.BooleanField(required=False)


class TouchForm(forms.Form):
    enabled = forms.BooleanField(label="Show touch ideas for this bond", required=False)
