from __future__ import annotations

from typing import Any

from django import forms

from tending.notify.models import Device
from tending.notify.topics import CHANNELS, TOPICS


class PreferencesForm(forms.Form):
    """For each topic, the channels it reaches the person by (one set of
    check boxes per channel: `app_topics`, `push_topics`, `email_topics`)."""

    quiet_start = forms.TimeField(
        label="Quiet hours start",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    quiet_end = forms.TimeField(
        label="Quiet hours end",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="No push notification or email arrives between these times (your own "
        "clock); they wait until the quiet hours end.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(key, topic.label) for key, topic in TOPICS.items()]
        for channel in CHANNELS:
            self.fields[f"{channel}_topics"] = forms.MultipleChoiceField(
                choices=choices, required=False, widget=forms.CheckboxSelectMultiple
            )

    def rows(self) -> list[dict[str, Any]]:
        """One row per topic, with whether each channel is ticked (for the table)."""
        chosen = {c: set(self[f"{c}_topics"].value() or ()) for c in CHANNELS}
        return [
            {
                "key": key,
                "label": topic.label,
                "channels": [(c, key in chosen[c]) for c in CHANNELS],
            }
            for key, topic in TOPICS.items()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("quiet_start")) != bool(data.get("quiet_end")):
            raise forms.ValidationError(
                "Please give both a start and an end for quiet hours, or leave both empty."
            )
        return data


class DeviceNameForm(forms.ModelForm):
    class Meta:
        model = Device
        fields = ["name"]
        labels = {"name": "Name"}
        error_messages = {"name": {"required": "Please give this device a name."}}

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Please give this device a name.")
        return name
