"""`GET /api/v1/coverage/impact`: what rests on a regulation, the regional bases in force
(coverage) and the stored drafts that cite it (drafting). Drafting serves the answer, since
coverage never reads drafting; its blueprint is nested in coverage's when this module is
imported, so the route keeps its URL and its place under the coverage tag of the OpenAPI
document."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from ..corpus.regulations import get_regulation
from ..corpus.schemas import RelatedRegulationSchema
from ..coverage.reports import amendment_family, impact
from ..coverage.views import blp as coverage_blp
from ..service.api import ID_MAX, Blueprint, Day, Timestamp
from .drafts import drafts_citing

blp = Blueprint("impact", __name__)


class ImpactArgs(Schema):
    regulation = fields.Integer(required=True, validate=validate.Range(min=1, max=ID_MAX))
    as_of = Day()


class ImpactRowSchema(Schema):
    regulation = fields.Nested(RelatedRegulationSchema, required=True)
    relation = fields.String(required=True)
    rests_on_id = fields.Integer(required=True)


class ImpactDraftSchema(Schema):
    id = fields.Integer(required=True)
    template = fields.String(required=True)
    region_code = fields.String(required=True)
    created_at = Timestamp(required=True)


class ImpactSchema(Schema):
    bases = fields.List(fields.Nested(ImpactRowSchema), required=True)
    drafts = fields.List(fields.Nested(ImpactDraftSchema), required=True)


@blp.route("/impact")
class Impact(MethodView):
    @blp.arguments(ImpactArgs, location="query")
    @blp.response(200, ImpactSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, args):
        """Dasar hukum daerah dan draf tersimpan yang bersandar pada satu peraturan."""
        bases = impact(args["regulation"], args.get("as_of"))
        family = amendment_family(get_regulation(args["regulation"]))
        return {"bases": bases, "drafts": drafts_citing(family)}


coverage_blp.register_blueprint(blp)
