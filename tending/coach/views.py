from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tending.coach.hint import FIELD_NAME, answers_from, quiet_for, safe_hint_for


@never_cache
@login_required
@require_POST
def hint(request: HttpRequest) -> HttpResponse:
    """The coach's hint for the text being typed, as a fragment for htmx.

    Reads the field named by `coach_field` (default "text") and the writer's answers to
    the coach's questions; nothing is stored or logged."""
    field = request.POST.get("coach_field", "text")
    if not FIELD_NAME.match(field):
        field = "text"
    hint = safe_hint_for(
        request.POST.get(field, ""),
        answers_from(request.POST),
        vulnerable=not quiet_for(request.user),
    )
    ctx = {"hint": hint, "replace_submit": False, "field": field}
    return render(request, "coach/_hint.html", ctx)
