"""The regulations API: create a regulation, read one."""

from flask.views import MethodView
from flask_smorest import Blueprint

from .. import db
from ..accounts.auth import current_actor, current_user, token_required
from ..accounts.policy import require
from ..api import API_PREFIX, json_body
from ..regions.registry import find_region
from .regulations import create_regulation, get_regulation
from .schemas import RegulationInputSchema, RegulationSchema

blp = Blueprint("corpus", __name__, url_prefix=f"{API_PREFIX}/regulations",
                description="Korpus peraturan nasional dan daerah.")

BEARER = [{"bearer": []}]


@blp.route("")
class Regulations(MethodView):
    @token_required
    @blp.doc(security=BEARER, requestBody={
        "required": True, "content": {"application/json": {"schema": RegulationInputSchema}}})
    @blp.response(201, RegulationSchema)
    def post(self):
        """Simpan peraturan baru dari metadatanya."""
        payload = json_body()
        authorize_record_write(payload)
        regulation = create_regulation(payload, current_actor())
        db.session.commit()
        return regulation


@blp.route("/<int:regulation_id>")
class RegulationDetail(MethodView):
    @blp.response(200, RegulationSchema)
    def get(self, regulation_id):
        """Satu peraturan menurut id."""
        return get_regulation(regulation_id)


def authorize_record_write(payload: dict) -> None:
    """403 unless the caller may write a record of the region (or nation) the body names."""
    user, region_code = current_user(), payload.get("region_code")
    if not isinstance(region_code, str) or not region_code:
        require(user, "write_national")
    elif find_region(region_code) is not None:
        require(user, "write_regional", region_code)
    else:  # an unknown code is a 422 later, for those who may write some region's records
        require(user, "write_regional", user.region_code)
