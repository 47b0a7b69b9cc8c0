from __future__ import annotations

from django.db import models


class WorkerBeat(models.Model):
    """A running worker's last sign of life, one row per worker process; /healthz
    reads the newest. Rows of workers long gone are forgotten by a chore."""

    worker = models.CharField(max_length=120, unique=True)  # host:pid
    lane = models.CharField(max_length=20, default="")  # quick, heavy or quick+heavy
    beat_at = models.DateTimeField(db_index=True)
