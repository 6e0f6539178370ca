"""Who may do what: one table, read by the HTTP layer and by the authorization tests.

Each action maps a role to the records it reaches; a role absent from a row may not act at all.
"""

from ..core.errors import Forbidden, Unauthorized
from ..regions.registry import find_region, is_within
from .models import User

ALL = "all"  # every record
OWN = "own"  # the records of the user's own region
OWN_AND_BELOW = "own_and_below"  # own region and, for a province, its kabupaten/kota

ANONYMOUS = "anonymous"

POLICY = {
    # action              who: reach
    "read_public": {ANONYMOUS: ALL, "region": ALL, "ministry": ALL, "admin": ALL},
    "write_national": {"ministry": ALL, "admin": ALL},
    "write_regional": {"region": OWN, "admin": ALL},
    "attest": {"region": OWN, "ministry": ALL, "admin": ALL},
    "draft": {"region": OWN, "ministry": ALL, "admin": ALL},
    "batch_draft": {"ministry": ALL, "admin": ALL},
    "read_private": {"region": OWN_AND_BELOW, "ministry": ALL, "admin": ALL},
    "read_audit": {"region": OWN, "admin": ALL},
    "monitor": {"ministry": ALL, "admin": ALL},
    "correct_region": {"region": OWN, "admin": ALL},
    "manage_users": {"admin": ALL},
    "manage_templates": {"admin": ALL},
    "import_corpus": {"admin": ALL},
    "withdraw": {"admin": ALL},
}


def role_of(user: User | None) -> str:
    return user.role if user is not None else ANONYMOUS


def may(user: User | None, action: str, region_code: str | None = None) -> bool:
    """Whether `user` (None: anonymous) may do `action` on a record of `region_code`."""
    reach = POLICY[action].get(role_of(user))
    if reach is None:
        return False
    if reach == ALL:
        return True
    if region_code is None:
        return False
    if reach == OWN:
        return region_code == user.region_code
    return is_within(region_code, user.region_code)


def require(user: User | None, action: str, region_code: str | None = None) -> None:
    """Raise Unauthorized (no token) or Forbidden unless `may` allows the action."""
    if may(user, action, region_code):
        return
    if user is None:
        raise Unauthorized("Diperlukan token API yang sah (Authorization: Bearer <token>).")
    where = f" untuk wilayah {region_code}" if region_code else ""
    raise Forbidden(
        f"Peran '{user.role}' tidak berwenang melakukan tindakan ini{where}.",
        {"action": action, "region_code": region_code},
    )


def require_record_write(user: User | None, region_code) -> None:
    """Unauthorized/Forbidden unless `user` may write a record of `region_code` (None or empty:
    a national record). An unknown code is left to the record's validation (a 422) for those
    who may write some region's records."""
    if not isinstance(region_code, str) or not region_code:
        require(user, "write_national")
    elif find_region(region_code) is not None:
        require(user, "write_regional", region_code)
    else:
        require(user, "write_regional", getattr(user, "region_code", None))
