"""Jobs that outlive a worker: claimed one at a time from the database, held by a lease the
runner renews whenever it records progress, and queued again (or failed, after the last
attempt) when the lease runs out because the worker was killed or restarted.

Each serving process runs them in its background thread (legalbase/serving.py, with
JOBS_MODE=background); `legalbase drafts run-jobs` claims the same way, so any number of
processes can share the queue.
"""

import os
import socket
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import event, inspect, select, update
from sqlalchemy.orm import Session

from .. import db
from ..db import utcnow
from .models import Job

MAX_ATTEMPTS = 3


def worker_name() -> str:
    """host:pid of this process, as a job records who runs it."""
    return f"{socket.gethostname()}:{os.getpid()}"


def claim_job(job_id: int) -> bool:
    """Take a queued job for this process (True), unless another took it first."""
    result = db.session.execute(
        update(Job).where(Job.id == job_id, Job.status == "queued")
        .values(status="running", worker=worker_name(), attempts=Job.attempts + 1,
                lease_until=_lease_end(), updated_at=utcnow()))
    db.session.commit()
    return result.rowcount == 1


def claim_next_job() -> int | None:
    """Claim the oldest queued job; None when there is none left."""
    while True:
        job_id = db.session.scalar(select(Job.id).where(Job.status == "queued")
                                   .order_by(Job.id).limit(1))
        if job_id is None or claim_job(job_id):
            return job_id


def recover_stalled_jobs() -> list[int]:
    """Queue again the running jobs whose lease ran out, or fail those out of attempts."""
    stalled = list(db.session.scalars(select(Job).where(
        Job.status == "running", (Job.lease_until < utcnow()) | Job.lease_until.is_(None))))
    for job in stalled:
        if job.attempts >= MAX_ATTEMPTS:
            job.status = "failed"
            job.error = (f"Pekerjaan terhenti {job.attempts} kali sebelum selesai (pekerja "
                         f"berhenti atau dimulai ulang); tidak diulang lagi.")
        else:
            job.status, job.progress, job.worker, job.lease_until = "queued", 0, None, None
    db.session.commit()
    return [job.id for job in stalled]


def _lease_end():
    return utcnow() + timedelta(seconds=current_app.config["JOB_LEASE_SECONDS"])


@event.listens_for(Session, "before_flush")
def _renew_leases(session, _context, _instances):
    # Every recorded step of a running job (status, progress) renews its lease, unless the
    # step sets the lease itself.
    for obj in session.dirty:
        if (isinstance(obj, Job) and obj.status == "running"
                and not inspect(obj).attrs.lease_until.history.has_changes()):
            obj.lease_until = _lease_end()


def run_queued_jobs() -> int:
    """Take back stalled jobs, then run queued ones until none is left; how many ran."""
    from .batch import run_claimed_job

    recover_stalled_jobs()
    count = 0
    while (job_id := claim_next_job()) is not None:
        run_claimed_job(job_id)
        count += 1
    return count


def wake_runner(app: Flask) -> bool:
    """Tell this process's background worker a job is waiting; False when it has none."""
    background = app.extensions.get("legalbase.background")
    if background is None:
        return False
    background.wake.set()
    return True
