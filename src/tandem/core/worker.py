"""The task worker that keeps going, and the supervisor that starts it again if it stops.

django-tasks-db's worker only ignores a locked database while it looks for a task: the
``BEGIN EXCLUSIVE`` before that, and the writes that mark a task claimed or done, raise out
of its loop, so one long write elsewhere ended the worker for good and no mail went out
(issue 20). ``SteadyWorker`` waits out any database failure and carries on;
``supervise`` restarts the worker process should it die of something else all the same;
``Scheduler`` enqueues the scheduled tasks (``tandem.core.schedule``) beside it.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import subprocess
import threading
import time
from types import FrameType

from django.db import Error, close_old_connections, connections
from django_tasks_db.management.commands.db_worker import Worker

from tandem.core.schedule import enqueue_due

logger = logging.getLogger(__name__)


class SteadyWorker(Worker):
    # Long enough not to hammer a database that is down, short enough that mail waits
    # seconds, not minutes, once it is back.
    pause = 5.0

    def run(self) -> None:
        while self.running:
            try:
                super().run()
            except Error as error:
                # A task interrupted here stays marked as running; the database is what
                # failed, so there is nothing better to write it to until it is back.
                self.running_task = False
                logger.warning(
                    "Task worker: the database failed (%s); trying again in %.0f s.",
                    error,
                    self.pause,
                )
                for connection in connections.all(initialized_only=True):
                    with contextlib.suppress(Error):
                        connection.close()
                time.sleep(self.pause)
            else:
                return  # --batch or --max-tasks is done


def supervise(command: list[str], *, first_delay: float = 1.0, max_delay: float = 60.0) -> int:
    """Run ``command`` until SIGTERM or SIGINT, which it passes on; whenever the command
    exits by itself, start it again, waiting twice as long after each exit (up to
    ``max_delay``) while it keeps dying within a minute of starting.

    Returns the command's last exit code."""
    stopping = threading.Event()
    child: subprocess.Popen[bytes] | None = None

    def stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()
        if child is not None and child.poll() is None:
            child.send_signal(signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    delay = first_delay
    code = 0
    while not stopping.is_set():
        started = time.monotonic()
        # Its own process group: Ctrl+C in a terminal reaches the supervisor alone, which
        # passes it on once (a worker that gets two stops abandons its running task).
        child = subprocess.Popen(command, process_group=0)  # noqa: S603 - our own command
        logger.warning("Supervisor: started the task worker, pid %d.", child.pid)
        code = child.wait()
        if stopping.is_set():
            break
        if time.monotonic() - started > 60:
            delay = first_delay
        logger.error(
            "Supervisor: the task worker (pid %d) exited with %d; starting it again in %.1f s.",
            child.pid,
            code,
            delay,
        )
        stopping.wait(delay)
        delay = min(delay * 2, max_delay)
    return code


class Scheduler(threading.Thread):
    """Calls ``enqueue_due`` now and then every ``interval`` seconds until ``stop``, in a
    thread of the supervisor. A database failure is logged and tried again at the next tick,
    as ``SteadyWorker`` does; so is anything else, so the schedule never stops for good."""

    def __init__(self, interval: float) -> None:
        super().__init__(name="scheduler", daemon=True)
        self.interval = interval
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                close_old_connections()  # a connection past its age or broken is replaced
                if not enqueue_due():
                    logger.debug("Scheduler: nothing due.")
            except Error as error:
                logger.warning(
                    "Scheduler: the database failed (%s); trying again in %g s.",
                    error,
                    self.interval,
                )
                for connection in connections.all(initialized_only=True):
                    with contextlib.suppress(Error):
                        connection.close()
            except Exception:
                logger.exception("Scheduler: enqueuing due tasks failed; trying again.")
            self.stopping.wait(self.interval)
        for connection in connections.all(initialized_only=True):
            with contextlib.suppress(Error):
                connection.close()

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the thread to finish and wait for it a while (it is a daemon thread)."""
        self.stopping.set()
        if self.is_alive():
            self.join(timeout)
