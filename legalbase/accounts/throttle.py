"""Sign-in throttling: failed attempts are counted per account and per client address in the
database (shared by every worker and machine), and more than the settings allow within the
window are refused until the oldest counted failure leaves it."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from ..core import db
from ..core.db import utcnow
from ..core.errors import TooManyRequests
from .models import LoginAttempt

KEPT_FOR = timedelta(days=1)


@dataclass(frozen=True)
class LoginLimits:
    per_account: int
    per_address: int
    window_seconds: int


def check_login_allowed(username: str, address: str, limits: LoginLimits) -> None:
    """TooManyRequests when the account or the address used up its failed attempts."""
    now = utcnow()
    since = now - timedelta(seconds=limits.window_seconds)
    for column, value, limit, whom in (
        (LoginAttempt.username, username, limits.per_account, "akun ini"),
        (LoginAttempt.address, address, limits.per_address, "alamat Anda"),
    ):
        failures = _failures_since(column, value, _after_last_success(column, value, since))
        if len(failures) >= limit:
            wait = failures[-limit] + timedelta(seconds=limits.window_seconds) - now
            retry_after = max(1, int(wait.total_seconds()) + 1)
            raise TooManyRequests(
                f"Terlalu banyak percobaan masuk yang gagal untuk {whom}; coba lagi dalam "
                f"{_minutes(retry_after)}.",
                retry_after,
            )


def record_login_attempt(username: str, address: str, succeeded: bool) -> None:
    """Remember one attempt (and forget those older than a day)."""
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.at < utcnow() - KEPT_FOR))
    db.session.add(LoginAttempt(username=username[:80], address=address[:64], succeeded=succeeded))
    db.session.flush()


def _after_last_success(column, value, since: datetime) -> datetime:
    # A successful sign-in of the account forgives its earlier failures.
    if column is not LoginAttempt.username:
        return since
    last = db.session.scalar(
        select(func.max(LoginAttempt.at)).where(column == value, LoginAttempt.succeeded.is_(True))
    )
    return max(since, _aware(last)) if last is not None else since


def _failures_since(column, value, since: datetime) -> list[datetime]:
    query = (
        select(LoginAttempt.at)
        .where(column == value, LoginAttempt.succeeded.is_(False), LoginAttempt.at > since)
        .order_by(LoginAttempt.at)
    )
    return [_aware(moment) for moment in db.session.scalars(query)]


def _aware(moment: datetime) -> datetime:
    # SQLite gives back naive datetimes; they are stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def _minutes(seconds: int) -> str:
    return f"{-(-seconds // 60)} menit"
