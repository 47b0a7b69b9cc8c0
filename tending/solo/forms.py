from django import forms

from tending.coach.hint import coach_attrs

PRACTICE_MAX = 2000


class PractiseForm(forms.Form):
    text = forms.CharField(
        label="Try saying it here",
        required=False,
        max_length=PRACTICE_MAX,
        widget=forms.Textarea(attrs={"rows": 5, **coach_attrs("text")}),
        help_text="Nothing here is saved or sent. It's a place to find your words.",
    )
