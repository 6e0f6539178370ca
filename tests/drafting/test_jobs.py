"""Jobs outlive the worker running them: a job whose runner stopped (its lease ran out) is
queued again and finished by another, or failed with its reason after the last attempt."""

from datetime import UTC, timedelta

import pytest
from sqlalchemy import update

from legalbase.core import db
from legalbase.core.db import utcnow
from legalbase.drafting.batch import start_batch
from legalbase.jobs import MAX_ATTEMPTS, Job, claim_job, get_job, queue, recover_stalled_jobs
from tests.factories import TEST_ACTOR, auth, make_user


@pytest.fixture
def job():
    job = start_batch("kepbupwal-pembentukan", ["unreported"], "19", {}, {}, TEST_ACTOR)
    db.session.commit()
    return job


def stop_worker_of(job):
    """What a killed worker leaves: the job running, its lease left to run out."""
    assert claim_job(job.id)
    job = get_job(job.id)
    job.lease_until = utcnow() - timedelta(seconds=1)
    db.session.commit()


def test_a_job_is_claimed_by_one_runner_only(job):
    assert claim_job(job.id) is True
    assert claim_job(job.id) is False
    claimed = get_job(job.id)
    assert (claimed.status, claimed.attempts) == ("running", 1)
    assert claimed.worker and claimed.lease_until is not None


def test_a_job_left_by_a_stopped_worker_is_finished_by_the_next_run(job, runner, client):
    stop_worker_of(job)
    result = runner.invoke(args=["drafts", "run-jobs"])
    assert result.exit_code == 0, result.output
    assert "1 pekerjaan terhenti diantrekan ulang" in result.output
    finished = get_job(job.id)
    assert (finished.status, finished.attempts, finished.progress) == ("finished", 2, 7)
    _, ministry = make_user("ministry", None, username="kemen")
    archive = client.get(f"/api/v1/jobs/{job.id}/result.zip", headers=auth(ministry))
    assert archive.status_code == 200


def test_a_running_job_within_its_lease_is_left_alone(job):
    assert claim_job(job.id)
    assert recover_stalled_jobs() == []
    assert get_job(job.id).status == "running"


def test_a_job_stopped_on_its_last_attempt_fails_with_the_reason(job):
    for _ in range(MAX_ATTEMPTS):
        stop_worker_of(job)
        recover_stalled_jobs()
    failed = get_job(job.id)
    assert failed.status == "failed"
    assert f"terhenti {MAX_ATTEMPTS} kali" in failed.error


def test_recording_progress_renews_the_lease(job):
    assert claim_job(job.id)
    running = get_job(job.id)
    running.lease_until = utcnow() + timedelta(seconds=5)
    db.session.commit()
    running.progress = 3
    db.session.commit()
    lease = running.lease_until
    lease = lease if lease.tzinfo else lease.replace(tzinfo=UTC)  # SQLite gives naive UTC
    assert lease > utcnow() + timedelta(seconds=60)


def test_a_runner_whose_job_was_taken_back_writes_nothing_more(job, monkeypatch):
    def overtaken(running):
        # Meanwhile this runner's lease ran out, and another runner claimed the job again.
        db.session.execute(
            update(Job)
            .where(Job.id == running.id)
            .values(attempts=Job.attempts + 1, worker="another:1", progress=2)
        )
        db.session.commit()
        running.progress = 5  # the step this runner then records, or its end, is refused
        db.session.commit()

    monkeypatch.setitem(queue.KINDS, job.kind, queue.Kind(overtaken, queue.DEFAULT_RESULT_NAME))
    assert claim_job(job.id)
    after = queue.run_claimed_job(job.id)
    assert (after.status, after.attempts, after.worker, after.progress) == (
        "running",
        2,
        "another:1",
        2,
    )
    assert after.error is None
