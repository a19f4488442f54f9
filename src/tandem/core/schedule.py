"""Tasks that run once an hour or once a week, enqueued by the task worker's supervisor.

An app registers a django-tasks task from its ``AppConfig.ready()``::

    from tandem.core.schedule import every
    every("week", take_snapshots)

and ``manage.py run_worker`` calls ``enqueue_due`` every 30 s (``--schedule-every``);
``manage.py enqueue_due`` does one such call, for cron. The task is called with one
argument: the start of its period as an ISO 8601 string in UTC ("2026-12-28T00:00:00+00:00").
Core imports no app: the registry is filled by the apps themselves.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any, Literal, get_args

from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django_tasks.base import Task

from tandem.core.models import ScheduledRun

logger = logging.getLogger(__name__)

Period = Literal["hour", "week"]
PERIODS: tuple[str, ...] = get_args(Period)


@dataclass(frozen=True)
class Scheduled:
    """A registered task: its name (module path and function name), period and task."""

    name: str
    period: Period
    task: Task[Any, Any]


_registry: dict[str, Scheduled] = {}


def every(period: Period, task: Task[Any, Any]) -> None:
    """Enqueue ``task`` once per ``period``: "hour" (from the top of each hour, UTC) or
    "week" (from Monday 00:00 UTC, the ISO week). Registering the same task again with the
    same period changes nothing; with another period it is refused, since a week starts on
    an hour and the two would share a run."""
    if period not in PERIODS:
        raise ValueError(f"A schedule period is one of {', '.join(PERIODS)}, not {period!r}.")
    if not isinstance(task, Task):
        raise TypeError(f"{task!r} is not a task: decorate it with @task() from django_tasks.")
    name = task.module_path
    known = _registry.get(name)
    if known is not None and known.period != period:
        raise ValueError(f"{name} is already scheduled every {known.period}.")
    _registry[name] = Scheduled(name=name, period=period, task=task)


def registered() -> list[Scheduled]:
    """The registered tasks, by name."""
    return [_registry[name] for name in sorted(_registry)]


def period_start(period: Period, now: dt.datetime) -> dt.datetime:
    """The start of the hour or ISO week (Monday) holding ``now``, in UTC."""
    if timezone.is_naive(now):
        raise ValueError("A schedule needs an aware datetime.")
    now = now.astimezone(dt.UTC)
    if period == "hour":
        return now.replace(minute=0, second=0, microsecond=0)
    if period == "week":
        monday = now.date() - dt.timedelta(days=now.weekday())
        return dt.datetime.combine(monday, dt.time(), tzinfo=dt.UTC)
    raise ValueError(f"A schedule period is one of {', '.join(PERIODS)}, not {period!r}.")


def enqueue_due(now: dt.datetime | None = None) -> list[str]:
    """Enqueue each registered task whose current period has not been enqueued yet; return
    the names of those enqueued.

    A ``ScheduledRun`` row per task and period start is inserted in the same transaction as
    the enqueue; its unique constraint makes a second insert fail, so two workers (or two
    ticks) never enqueue one period twice: whoever loses the race enqueues nothing.

    A missed period is not replayed: only the period holding ``now`` counts, so a worker
    that was down for three weeks enqueues a weekly task once, for the current week. A task
    that must cover the gap looks back from its period start itself.
    """
    now = now or timezone.now()
    due = [(scheduled, period_start(scheduled.period, now)) for scheduled in registered()]
    if not due:
        return []
    done = set(
        ScheduledRun.objects.filter(
            name__in={scheduled.name for scheduled, _ in due},
            period_start__in={start for _, start in due},
        ).values_list("name", "period_start")
    )
    enqueued = []
    for scheduled, start in due:
        if (scheduled.name, start) in done:
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(
                    name=scheduled.name, period=scheduled.period, period_start=start
                )
                result = scheduled.task.enqueue(start.isoformat())
                ScheduledRun.objects.filter(pk=run.pk).update(task_id=str(result.id))
        except IntegrityError:
            continue  # another worker enqueued this period first
        except DatabaseError:
            raise  # the database is the trouble: the caller waits and tries again
        except Exception:
            # One broken task must not hold back the others; it is tried again next tick.
            logger.exception("Scheduler: could not enqueue %s.", scheduled.name)
            continue
        logger.info("Scheduler: enqueued %s for %s.", scheduled.name, start.isoformat())
        enqueued.append(scheduled.name)
    return enqueued
