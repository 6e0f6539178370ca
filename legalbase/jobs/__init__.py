"""Jobs: long work queued in the database and run by any process (serving or command line),
with progress, leases, and a stored result. Knows no kind of work itself: each room registers
its kinds (`register`) when the app is built.

Reads nothing of the domain rooms but the corpus file store (a job's result).
"""

from .models import Job
from .queue import (
    MAX_ATTEMPTS,
    claim_job,
    claim_next_job,
    create_job,
    get_job,
    recover_stalled_jobs,
    register,
    report_progress,
    result_name,
    result_type,
    run_claimed_job,
    run_job,
    run_queued_jobs,
    schedule,
    wake_runner,
)

__all__ = [
    "MAX_ATTEMPTS",
    "Job",
    "claim_job",
    "claim_next_job",
    "create_job",
    "get_job",
    "recover_stalled_jobs",
    "register",
    "report_progress",
    "result_name",
    "result_type",
    "run_claimed_job",
    "run_job",
    "run_queued_jobs",
    "schedule",
    "wake_runner",
]
