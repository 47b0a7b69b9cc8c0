from django import forms


class TodayChoiceForm(forms.Form):
    key = forms.CharField(max_length=64)
    choice = forms.ChoiceField(choices=[("done", "Done"), ("another", "Another idea")])
