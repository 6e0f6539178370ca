"""The job queue: jobs that outlive a worker, claimed one at a time from the database, held by
a lease the runner renews whenever it records progress, and queued again (or failed, after the
last attempt) when the lease runs out because the worker was killed or restarted.

Each room registers the kinds of job it runs (`register`) when the app is built, so a runner in
any process knows every kind. Each serving process runs jobs in its background thread
(legalbase/service/serving.py, with JOBS_MODE=background); `legalbase jobs run` (or `legalbase
drafts run-jobs`) claims the same way, so any number of processes can share the queue.

A job created in a unit of work is scheduled once that work commits (`create_job`); the runner
owns its units of work: it commits each claim, each step a handler records, and each job's end.
"""

import functools
import logging
import os
import socket
import threading
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import event, inspect, select, update
from sqlalchemy.orm import Session

from ..core import audit, db
from ..core.db import utcnow
from ..core.errors import NotFound
from .models import Job

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
CLAIMED = "jobs.claimed"  # session.info: {job id: the attempt this thread's runner holds}
DEFAULT_RESULT_NAME = "pekerjaan-{id}.zip"
RESULT_TYPES = {
    "zip": "application/zip",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

Handler = Callable[[Job], None]


@dataclass(frozen=True)
class Kind:
    """How to run one kind of job, and the download name of its result (`{id}`: the job's)."""

    handler: Handler
    result_name: str = DEFAULT_RESULT_NAME


KINDS: dict[str, Kind] = {}
_progress: ContextVar[Callable[[int], None] | None] = ContextVar("job_progress", default=None)


class UnknownKind(LookupError):
    """A job of a kind no room registered in this process."""


# --- the registry ---------------------------------------------------------------------------


def register(kind: str, handler: Handler, result_name: str = DEFAULT_RESULT_NAME) -> None:
    """Let this process run jobs of `kind` with `handler(job)`; registering again replaces.

    The handler does the work, may set job.total and job.progress and commit them as its own
    units of work (each commit renews the lease), and stores its result with the corpus file
    store into job.result_sha256. Raising fails the job with the reason."""
    KINDS[kind] = Kind(handler, result_name)


def kind_of(job: Job) -> Kind:
    """The registered kind of `job`; UnknownKind when no room registered it."""
    try:
        return KINDS[job.kind]
    except KeyError:
        raise UnknownKind(f"Jenis pekerjaan '{job.kind}' tidak dikenal oleh proses ini.") from None


def result_name(job: Job) -> str:
    """The file name a job's result is downloaded under (`{id}` and the job's params filled)."""
    kind = KINDS.get(job.kind)
    name = kind.result_name if kind else DEFAULT_RESULT_NAME
    params = job.params if isinstance(job.params, dict) else {}
    return name.format_map({**params, "id": job.id})


def result_type(job: Job) -> str:
    """The media type of a job's result, told by its download name (a ZIP unless it says)."""
    extension = result_name(job).rsplit(".", 1)[-1].lower()
    return RESULT_TYPES.get(extension, "application/octet-stream")


# --- creating and finding jobs --------------------------------------------------------------


def create_job(
    kind: str,
    params: dict,
    actor: audit.Actor,
    region_code: str | None = None,
    scheduled: bool = True,
) -> Job:
    """Queue a job of `kind` (added, flushed and audited), scheduled once the work commits;
    `scheduled=False` for a caller that runs it itself (a command with a progress bar)."""
    job = Job(kind=kind, params=params, region_code=region_code, created_by_id=actor.user_id)
    db.session.add(job)
    db.session.flush()
    audit.record(actor, "create", "job", job.id, None, params, region_code)
    if scheduled:
        db.after_commit(functools.partial(schedule, job.id), key=("schedule", job.id))
    return job


def get_job(job_id: int) -> Job:
    """The job with `job_id`, or NotFound."""
    job = db.session.get(Job, job_id)
    if job is None:
        raise NotFound(f"Pekerjaan dengan id {job_id} tidak ditemukan.", {"id": job_id})
    return job


# --- claiming and leases --------------------------------------------------------------------


def worker_name() -> str:
    """host:pid of this process, as a job records who runs it."""
    return f"{socket.gethostname()}:{os.getpid()}"


def claim_job(job_id: int) -> bool:
    """Take a queued job for this process (True), unless another took it first."""
    result = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == "queued")
        .values(
            status="running",
            worker=worker_name(),
            attempts=Job.attempts + 1,
            lease_until=_lease_end(),
            updated_at=utcnow(),
        )
    )
    db.session.commit()
    return result.rowcount == 1


def claim_next_job() -> int | None:
    """Claim the oldest queued job; None when there is none left."""
    while True:
        job_id = db.session.scalar(
            select(Job.id).where(Job.status == "queued").order_by(Job.id).limit(1)
        )
        if job_id is None or claim_job(job_id):
            return job_id


def recover_stalled_jobs() -> list[int]:
    """Queue again the running jobs whose lease ran out, or fail those out of attempts."""
    stalled = list(
        db.session.scalars(
            select(Job).where(
                Job.status == "running", (Job.lease_until < utcnow()) | Job.lease_until.is_(None)
            )
        )
    )
    for job in stalled:
        if job.attempts >= MAX_ATTEMPTS:
            job.status = "failed"
            job.error = (
                f"Pekerjaan terhenti {job.attempts} kali sebelum selesai (pekerja "
                f"berhenti atau dimulai ulang); tidak diulang lagi."
            )
        else:
            job.status, job.progress, job.worker, job.lease_until = "queued", 0, None, None
    db.session.commit()
    return [job.id for job in stalled]


def _lease_end():
    return utcnow() + timedelta(seconds=current_app.config["JOB_LEASE_SECONDS"])


class TakenBack(Exception):
    """The runner's lease ran out and another runner claimed its job: the job is theirs now."""


@event.listens_for(Session, "before_flush")
def _renew_leases(session, _context, _instances):
    # Every recorded step of a running job (status, progress) renews its lease, unless the
    # step sets the lease itself; a runner whose job another has claimed since writes nothing.
    claimed = session.info.get(CLAIMED, {})
    for obj in session.dirty:
        if isinstance(obj, Job) and obj.id in claimed:
            _check_still_held(session, obj.id, claimed[obj.id])
        if (
            isinstance(obj, Job)
            and obj.status == "running"
            and not inspect(obj).attrs.lease_until.history.has_changes()
        ):
            obj.lease_until = _lease_end()


def _check_still_held(session, job_id: int, attempt: int) -> None:
    # The row stays locked until the step commits (PostgreSQL; SQLite has one writer anyway),
    # so no claim slips in between this check and the step's write.
    current = session.execute(
        select(Job.attempts).where(Job.id == job_id).with_for_update()
    ).scalar_one()
    if current != attempt:
        raise TakenBack(f"job {job_id}: attempt {attempt} was taken back (now {current})")


# --- running --------------------------------------------------------------------------------


def schedule(job_id: int) -> None:
    """Run a committed job as JOBS_MODE says: by this process's job runner (background),
    inline, or not here (`queued`: `legalbase jobs run` or a serving process takes it)."""
    app = current_app._get_current_object()
    mode = app.config["JOBS_MODE"]
    if mode == "inline":
        run_job(job_id)
    elif mode == "background" and not wake_runner(app):
        threading.Thread(target=_run_in_app, args=(app, job_id), daemon=True).start()


def _run_in_app(app: Flask, job_id: int) -> None:
    with app.app_context():
        run_job(job_id)
        db.session.remove()


def wake_runner(app: Flask) -> bool:
    """Tell this process's background worker a job is waiting; False when it has none."""
    background = app.extensions.get("legalbase.background")
    if background is None:
        return False
    background.wake.set()
    return True


def run_job(job_id: int, progress: Callable[[int], None] | None = None) -> Job:
    """Claim a queued job and run it to its end (finished, or failed with the reason); a job
    another process holds, or one already ended, is returned as it is."""
    if not claim_job(job_id):
        return get_job(job_id)
    return run_claimed_job(job_id, progress)


def run_claimed_job(job_id: int, progress: Callable[[int], None] | None = None) -> Job:
    """Run a job this process claimed: finished, or failed with the reason recorded, unless
    another runner took it back meanwhile (this one's lease ran out): then it is left to them.
    `progress(steps)`, if given, hears of the steps the handler reports (a progress bar)."""
    job = get_job(job_id)
    attempt = job.attempts
    held = db.session.info.setdefault(CLAIMED, {})
    held[job_id] = attempt
    token = _progress.set(progress)
    try:
        kind_of(job).handler(job)
        job.status, job.lease_until = "finished", None
        db.commit()  # the job's end, then what its commits left waiting (index changes, jobs)
    except TakenBack:
        db.session.rollback()
        log.warning("job %s: taken back by another runner; this attempt stops", job_id)
    except Exception as exc:  # the job must end finished or failed, never silently lost
        db.session.rollback()
        record_failure(job_id, attempt, f"{type(exc).__name__}: {exc}")
    finally:
        _progress.reset(token)
        held.pop(job_id, None)
    return get_job(job_id)


def record_failure(job_id: int, attempt: int, error: str) -> None:
    """Mark attempt `attempt` of a job failed with `error`, unless another runner took it."""
    db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.attempts == attempt)
        .values(status="failed", error=error, lease_until=None, updated_at=utcnow())
    )
    db.commit()


def report_progress(steps: int = 1) -> None:
    """Tell whoever runs the current job in this thread (a command's progress bar) that
    `steps` more steps are done; nothing when no one listens."""
    listener = _progress.get()
    if listener is not None:
        listener(steps)


def run_queued_jobs() -> int:
    """Take back stalled jobs, then run queued ones until none is left; how many ran."""
    recover_stalled_jobs()
    count = 0
    while (job_id := claim_next_job()) is not None:
        run_claimed_job(job_id)
        count += 1
    return count
