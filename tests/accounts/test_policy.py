import pytest

from legalbase.accounts.models import User
from legalbase.accounts.policy import POLICY, may


def user(role, region=None):
    return User(username="u", display_name="u", role=role, region_code=region)


@pytest.mark.parametrize(
    "who, action, region, allowed",
    [
        (None, "read_public", None, True),
        (None, "write_regional", "16.71", False),
        (user("region", "16.71"), "write_regional", "16.71", True),
        (user("region", "16.71"), "write_regional", "16.72", False),
        (user("region", "16"), "write_regional", "16.71", False),  # kabupaten/kota are autonomous
        (user("region", "16"), "read_private", "16.71", True),  # but the province reads theirs
        (user("region", "16"), "read_private", "17.01", False),
        (user("region", "16.71"), "read_private", "16", False),
        (user("region", "16.71"), "write_national", None, False),
        (user("region", "16.71"), "attest", "16.71", True),
        (user("ministry"), "write_national", None, True),
        (user("ministry"), "write_regional", "16.71", False),
        (user("ministry"), "read_private", "16.71", True),
        (user("ministry"), "batch_draft", None, True),
        (user("ministry"), "manage_users", None, False),
        (user("admin"), "manage_users", None, True),
        (user("admin"), "write_regional", "16.71", True),
    ],
)
def test_policy(who, action, region, allowed):
    assert may(who, action, region) is allowed


def test_every_action_names_only_known_roles():
    for reach in POLICY.values():
        assert set(reach) <= {"anonymous", "region", "ministry", "admin"}
