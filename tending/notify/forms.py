from __future__ import annotations

from typing import Any

from django import forms

from tending.notify.topics import TOPICS


class PreferencesForm(forms.Form):
    email_topics = forms.MultipleChoiceField(
        label="Email me about",
        choices=list(TOPICS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Everything also appears under Notifications here, whatever you choose.",
    )
    quiet_start = forms.TimeField(
        label="Quiet hours start",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    quiet_end = forms.TimeField(
        label="Quiet hours end",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="No email arrives between these times (your own clock); it waits until they end.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("quiet_start")) != bool(data.get("quiet_end")):
            raise forms.ValidationError(
                "Please give both a start and an end for quiet hours, or leave both empty."
            )
        return data
