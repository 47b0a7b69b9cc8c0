from __future__ import annotations

from typing import Any

from django import forms

from tending.checkup.scoring import Questionnaire
from tending.safety import screen

MISSING = "Please choose an answer for this one."


class CheckupForm(forms.Form):
    """One required five-point answer per item of `questionnaire`, and an optional note."""

    note = forms.CharField(
        label="Anything you want to remember about this moment? (optional, only for you)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, questionnaire: Questionnaire, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        for item in questionnaire.items:
            self.fields[item.id] = forms.TypedChoiceField(
                choices=questionnaire.scale,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": MISSING,
                    "invalid_choice": "Please choose one of the five answers.",
                },
            )

    def answers(self) -> dict[str, int]:
        return {item.id: self.cleaned_data[item.id] for item in self.questionnaire.items}

    def missing(self) -> list[str]:
        """Item ids still unanswered (or answered with something not on the scale)."""
        return [item.id for item in self.questionnaire.items if item.id in self.errors]


class SafetyForm(forms.Form):
    """The private safety questions; every one may be left out."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(a["value"], a["label"]) for a in screen.content()["answers"]]
        for qid in screen.question_ids():
            self.fields[qid] = forms.ChoiceField(
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": "Please choose yes, no, or I'd rather not say."},
            )

    def answers(self) -> dict[str, str]:
        """Only the questions that were answered."""
        return {q: v for q in screen.question_ids() if (v := self.cleaned_data.get(q))}
