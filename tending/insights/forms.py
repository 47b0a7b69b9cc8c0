from __future__ import annotations

import re
from typing import Any

from django import forms

from tending.insights import storage
from tending.insights.chats.stream import FORMAT_NAMES, FORMATS
from tending.insights.models import Role

FORMAT_CHOICES = [("auto", "Find out from the file"), *((f, FORMAT_NAMES[f]) for f in FORMATS)]
TOO_BIG = "This file is larger than 60 MB. Exporting the chat without media keeps it small."


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Your chat export",
        help_text="A .txt, .zip, .json or .md file of up to 60 MB, exported without media.",
        widget=forms.FileInput(attrs={"accept": ",".join(storage.SUFFIXES)}),
        error_messages={
            "required": "Please choose the file you exported.",
            "empty": "This file is empty.",
            "invalid": "Please choose the file you exported.",
        },
    )
    format = forms.ChoiceField(
        label="Which app is it from?",
        choices=FORMAT_CHOICES,
        initial="auto",
        error_messages={"invalid_choice": "Please choose one of the apps listed."},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith(storage.SUFFIXES):
            raise forms.ValidationError(
                "Tending reads .txt, .zip, .json and .md exports. "
                "Supported apps: WhatsApp, Telegram, Signal, Messenger and Instagram."
            )
        if upload.size > storage.MAX_BYTES:
            raise forms.ValidationError(TOO_BIG)
        return upload


_DIGITS = re.compile(r"(\d{1,4})\D+(\d{1,2})\D+(\d{2,4})")
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def read_sample(sample: str, order: str) -> str:
    """How a sample date string reads in one order ("3 April 2024"), or ""."""
    found = _DIGITS.search(sample)
    if not found:
        return ""
    a, b, c = (int(x) for x in found.groups())
    if order == "ymd":
        year, month, day = a + 2000 if a < 100 else a, b, c
    else:
        day, month = (a, b) if order == "dmy" else (b, a)
        year = c + 2000 if c < 100 else c
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return ""
    return f"{day} {_MONTHS[month - 1]} {year}"


class DateOrderForm(forms.Form):
    date_order = forms.ChoiceField(
        label="How does your phone write dates?",
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose one.", "invalid_choice": "Please choose one."},
    )

    def __init__(self, *args: Any, sample: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = []
        for order, label in (("dmy", "Day first"), ("mdy", "Month first"), ("ymd", "Year first")):
            reading = read_sample(sample, order)
            # Year first is offered only where the sample reads as a date WhatsApp
            # could have written (from 2009 on), as the reader's own choice does.
            if order == "ymd" and not (reading and int(reading.rsplit(" ", 1)[1]) >= 2009):
                continue
            choices.append((order, f"{label}: {sample} is {reading}" if reading else label))
        self.fields["date_order"].choices = choices


class MappingForm(forms.Form):
    """One choice per chat participant (`p0`, `p1`, … in the order given),
    plus whether to ask the other member for their consent."""

    def __init__(
        self,
        *args: Any,
        participants: list[str],
        proposal: dict[str, str],
        author_name: str,
        other_name: str | None,
        can_offer: bool = False,
        offer: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.participants = participants
        choices = [(Role.AUTHOR.value, f"Me ({author_name})")]
        if other_name:
            choices.append((Role.OTHER.value, other_name))
        choices.append((Role.SOMEONE.value, "Someone else"))
        for index, name in enumerate(participants):
            self.fields[f"p{index}"] = forms.ChoiceField(
                label=name,
                choices=choices,
                initial=proposal.get(name, Role.SOMEONE.value),
                error_messages={"invalid_choice": "Please choose one of the names listed."},
            )
        if can_offer and other_name:
            self.fields["offer"] = forms.BooleanField(
                label=f"Ask {other_name} whether they would like to see these insights with me",
                required=False,
                initial=offer,
            )
        self.other_name = other_name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        roles = [data.get(f"p{i}") for i in range(len(self.participants))]
        if None in roles:
            return data
        if roles.count(Role.AUTHOR.value) != 1:
            raise forms.ValidationError("Please choose exactly one name as yourself.")
        if roles.count(Role.OTHER.value) > 1:
            raise forms.ValidationError(f"Please choose at most one name as {self.other_name}.")
        return data

    def mapping(self) -> dict[str, str]:
        return {name: self.cleaned_data[f"p{i}"] for i, name in enumerate(self.participants)}


class ConsentForm(forms.Form):
    agree = forms.BooleanField(
        label="I agree to see these insights together",
        error_messages={"required": "Tick the box if you agree; otherwise there is nothing to do."},
    )
