from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from tending.prompts.models import Closeness
from tending.prompts.schedule import WEEKDAYS

ANSWER_LENGTH = 2000
NOTE_LENGTH = 4000
UNDERSTOOD_LABELS = {
    1: "Hardly at all",
    2: "A little",
    3: "Partly",
    4: "Mostly",
    5: "Fully",
}


class AnswerForm(forms.Form):
    prompt = forms.CharField(widget=forms.HiddenInput, max_length=16)
    text = forms.CharField(
        label="Your answer",
        max_length=ANSWER_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Write a few words first, whenever you're ready."},
    )
    guess = forms.CharField(
        label="Your guess (optional)",
        required=False,
        max_length=ANSWER_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, guess_about: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if guess_about is None:
            del self.fields["guess"]
        else:
            self.fields[
                "guess"
            ].label = f"And what do you think {guess_about} would say? (optional)"
            self.fields["guess"].help_text = (
                f"Just for fun. You'll both see it next to {guess_about}'s own answer, "
                "once you have both answered."
            )

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("Write a few words first, whenever you're ready.")
        return text

    def clean_guess(self) -> str:
        return self.cleaned_data.get("guess", "").strip()


class GuessForm(forms.Form):
    prompt = forms.CharField(widget=forms.HiddenInput, max_length=16)
    guess = forms.CharField(
        label="Your guess",
        max_length=ANSWER_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, guess_about: str = "they", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["guess"].label = f"What do you think {guess_about} would say?"

    def clean_guess(self) -> str:
        guess = self.cleaned_data["guess"].strip()
        if not guess:
            raise forms.ValidationError("Write your guess first.")
        return guess


class PromptIdForm(forms.Form):
    prompt = forms.CharField(max_length=16)


class ClosenessForm(forms.Form):
    closeness = forms.ChoiceField(choices=Closeness.choices)


class SlotForm(forms.Form):
    weekday = forms.TypedChoiceField(
        label="Day",
        coerce=int,
        choices=[(i, f"{name}s") for i, name in enumerate(WEEKDAYS)],
        initial=6,
    )
    at = forms.TimeField(
        label="Time",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        input_formats=["%H:%M", "%H:%M:%S"],
        initial="19:00",
        error_messages={"invalid": "Please give a time such as 19:00."},
    )


class HeardForm(forms.Form):
    text = forms.CharField(
        label="Your shared note",
        required=False,
        max_length=NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="A few words on what you each heard and understood. Either of you can edit it.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)


class UnderstoodForm(forms.Form):
    score = forms.TypedChoiceField(
        label="How understood did you feel?",
        coerce=int,
        choices=sorted(UNDERSTOOD_LABELS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the answer that comes closest."},
    )
    include = forms.BooleanField(
        label="Include mine in a shared average",
        required=False,
        help_text=(
            "You'll both see the average only if you both choose this. With two people, an "
            "average also lets each of you work out the other's answer."
        ),
    )


DECK_WEEKS = {2: "Two weeks", 3: "Three weeks", 4: "Four weeks"}


class DeckForm(forms.Form):
    """Choose a deck (or opt in to one) among `decks`, for a few weeks."""

    deck = forms.ChoiceField(label="Deck", widget=forms.RadioSelect)
    weeks = forms.TypedChoiceField(
        label="For how long",
        coerce=int,
        choices=sorted(DECK_WEEKS.items()),
        initial=3,
    )

    def __init__(self, *args: Any, decks: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deck"].choices = [(deck.id, deck.title) for deck in decks]
        self.fields["deck"].error_messages["required"] = "Choose a deck first."
