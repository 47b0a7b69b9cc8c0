from django import forms

from tending.bonds.models import KIND_DESCRIPTIONS, Kind


class BondForm(forms.Form):
    kind = forms.ChoiceField(
        label="Who is this bond with?",
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose the kind of bond."},
    )

    def kind_options(self) -> list[tuple[str, str, str]]:
        return [(value, label, KIND_DESCRIPTIONS[Kind(value)]) for value, label in Kind.choices]


class InviteEmailForm(forms.Form):
    email = forms.EmailField(
        label="Their email address",
        max_length=254,
        help_text="We'll send them the link, and nothing else.",
    )
