from __future__ import annotations

from typing import Any

from django import forms

from tending.feelings.vocabulary import vocabulary


class CheckinForm(forms.Form):
    family = forms.ChoiceField(label="Broadly, how are you?", widget=forms.RadioSelect)
    word = forms.ChoiceField(label="Which word comes closest?", widget=forms.RadioSelect)
    intensity = forms.TypedChoiceField(
        label="How strong is it?", coerce=int, widget=forms.RadioSelect, initial=3
    )
    note = forms.CharField(
        label="What's behind it? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    share = forms.BooleanField(label="Share this with the bond", required=False)

    def __init__(self, *args: Any, can_share: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        vocab = vocabulary()
        self.fields["family"].choices = [(f.id, f.name) for f in vocab.families]
        self.fields["word"].choices = [(w.id, w.word) for w in vocab.words]
        self.fields["intensity"].choices = sorted(vocab.intensity.items())
        self.fields["family"].error_messages["required"] = "Please choose a broad feeling first."
        self.fields["word"].error_messages["required"] = "Please choose the word that fits best."
        if not can_share:
            del self.fields["share"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        word = vocabulary().word(data.get("word", ""))
        if word and data.get("family") and word.family != data["family"]:
            self.add_error("word", "That word belongs to another feeling; please pick again.")
        return data
