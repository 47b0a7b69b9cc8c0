from __future__ import annotations

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from tending.ops.models import WorkerBeat


def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitors: 200 when the database answers and a
    worker was seen within WORKER_SILENT_AFTER; otherwise 503 with the reason.
    Plain text, one line per part (docs/deployment.md)."""
    try:
        last = WorkerBeat.objects.aggregate(last=Max("beat_at"))["last"]
    except DatabaseError:
        return HttpResponse(
            "database: unreachable\nworker: unknown\n", status=503, content_type="text/plain"
        )
    if last is None:
        worker, ok = "never seen", False
    else:
        silent = max(0, int((timezone.now() - last).total_seconds()))
        ok = silent <= settings.WORKER_SILENT_AFTER
        worker = f"{'ok' if ok else 'silent'}, last seen {silent} s ago"
    body = f"database: ok\nworker: {worker}\n"
    return HttpResponse(body, status=200 if ok else 503, content_type="text/plain")
