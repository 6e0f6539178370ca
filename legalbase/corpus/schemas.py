"""The shape of a regulation's metadata, as the API and the seed corpus write it."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..service.api import ID_MAX, Day, Timestamp
from .forms import FORM_CODES

GAZETTE_KINDS = ("LN", "BN", "LD", "BD")


def _not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError("Tidak boleh kosong.")


class GazetteSchema(Schema):
    kind = fields.String(
        required=True,
        validate=validate.OneOf(GAZETTE_KINDS),
        metadata={"description": "LN, BN, LD (Lembaran Daerah) atau BD"},
    )
    year = fields.Integer(
        allow_none=True, load_default=None, validate=validate.Range(min=1900, max=2100)
    )
    number = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=40))
    supplement = fields.String(
        allow_none=True,
        load_default=None,
        validate=validate.Length(max=40),
        metadata={"description": "Nomor Tambahan (TLN/TLD)"},
    )


class RegulationInputSchema(Schema):
    """Metadata fields of a regulation (JDIH, Permenkumham 8/2019)."""

    form = fields.String(required=True, validate=validate.OneOf(FORM_CODES))
    number = fields.String(
        required=True,
        validate=[validate.Length(min=1, max=120), _not_blank],
        metadata={"description": "Nomor seperti tertulis, mis. 100.3.3.1/441/013/2025"},
    )
    year = fields.Integer(required=True, validate=validate.Range(min=1900, max=2100))
    title = fields.String(required=True, validate=[validate.Length(min=1, max=2000), _not_blank])
    region_code = fields.String(
        allow_none=True,
        load_default=None,
        metadata={"description": "Kode wilayah; null untuk nasional"},
    )
    issuer = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=160))
    teu_badan = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=200))
    enacted_on = Day(allow_none=True, load_default=None)
    promulgated_on = Day(allow_none=True, load_default=None)
    place_of_enactment = fields.String(
        allow_none=True, load_default=None, validate=validate.Length(max=120)
    )
    gazette = fields.Nested(GazetteSchema, allow_none=True, load_default=None)
    subjects = fields.List(
        fields.String(validate=validate.Length(min=1, max=120)), load_default=list
    )
    status = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=40))
    language = fields.String(load_default="Indonesia", validate=validate.Length(min=1, max=40))
    custodian = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=200))
    field_of_law = fields.String(
        allow_none=True, load_default=None, validate=validate.Length(max=120)
    )
    valid_from = Day(allow_none=True, load_default=None)
    valid_until = Day(allow_none=True, load_default=None)
    text = fields.String(allow_none=True, load_default=None)

    @validates_schema
    def _period_in_order(self, data, **_kwargs):
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            raise ValidationError("Akhir masa berlaku sebelum awalnya.", "valid_until")


class FileInfoSchema(Schema):
    sha256 = fields.String(required=True)
    media_type = fields.String(required=True)
    size = fields.Integer(required=True)
    url = fields.String(required=True)


class LintFindingSchema(Schema):
    code = fields.String(required=True)
    severity = fields.String(required=True, metadata={"description": "error atau warning"})
    message = fields.String(required=True)
    item = fields.Integer(
        allow_none=True,
        required=True,
        metadata={"description": "Nomor butir Mengingat; null untuk daftar seluruhnya"},
    )


class RegulationSchema(RegulationInputSchema):
    """A stored regulation as the API answers it."""

    id = fields.Integer(required=True)
    form_name = fields.String(required=True)
    in_force = fields.Boolean(
        required=True,
        metadata={
            "description": "Berlaku pada tanggal as_of (bawaan: hari ini), diturunkan dari relasi"
        },
    )
    in_force_from = fields.Date(
        attribute="stated_start",
        allow_none=True,
        required=True,
        metadata={
            "description": (
                "Hari pertama berlaku sebagaimana tertulis dalam catatan "
                "(awal masa berlaku, tanggal pengundangan, atau tanggal "
                "penetapan); null bila catatan tidak menyebut tanggal "
                "sama sekali. Tidak pernah berisi tanggal turunan seperti "
                "1 Januari tahunnya (sebelumnya: selalu tanggal, diisi 1 "
                "Januari bila tidak diketahui); lihat in_force_from_known "
                "dan in_force_since_year"
            )
        },
    )
    in_force_from_known = fields.Boolean(
        required=True,
        metadata={
            "description": "true bila in_force_from adalah tanggal yang tertulis; false bila hanya "
            "tahunnya yang diketahui (in_force_from null)"
        },
    )
    in_force_since_year = fields.Integer(
        required=True,
        metadata={
            "description": "Tahun mulai berlaku, diketahui walaupun tanggalnya tidak; status "
            "in_force pada tanggal as_of menghitung peraturan tanpa tanggal sebagai "
            "berlaku sejak 1 Januari tahun ini"
        },
    )
    text_status = fields.String(
        required=True,
        metadata={"description": "available, no_text_layer, pending_ocr, atau unavailable"},
    )
    file = fields.Nested(FileInfoSchema, allow_none=True, required=True)
    unresolved_citations = fields.List(fields.String(), required=True)
    lint = fields.List(
        fields.Nested(LintFindingSchema),
        required=True,
        metadata={"description": "Temuan pemeriksaan Mengingat yang dibaca dari berkas"},
    )
    created_at = Timestamp(required=True)
    updated_at = Timestamp(required=True)
    withdrawn_at = Timestamp(allow_none=True)
    withdrawn_reason = fields.String(allow_none=True)


class RegulationSummarySchema(RegulationSchema):
    """A regulation in a list: everything but its text."""

    class Meta:
        exclude = ("text",)


class RegulationListArgs(Schema):
    form = fields.String(validate=validate.OneOf(FORM_CODES))
    region = fields.String(
        validate=validate.Length(max=8),
        metadata={
            "description": "Kode wilayah (provinsi mencakup kabupaten/kotanya) atau 'national'"
        },
    )
    year = fields.Integer(validate=validate.Range(min=1900, max=2100))
    subject = fields.String(validate=validate.Length(max=120))
    in_force = fields.Boolean()
    as_of = Day(metadata={"description": "YYYY-MM-DD; bawaan hari ini"})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=ID_MAX))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=1000))


class AsOfArgs(Schema):
    as_of = Day(metadata={"description": "YYYY-MM-DD; bawaan hari ini"})


class WithdrawSchema(Schema):
    reason = fields.String(required=True, validate=[validate.Length(min=1, max=2000), _not_blank])


class RelationInputSchema(Schema):
    type = fields.String(
        required=True, validate=validate.OneOf(("amends", "revokes", "implements", "cites"))
    )
    target_id = fields.Integer(required=True, validate=validate.Range(min=1, max=ID_MAX))
    effective_on = Day(allow_none=True, load_default=None)
    note = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=2000))


class RelatedRegulationSchema(Schema):
    id = fields.Integer(required=True)
    form = fields.String(required=True)
    number = fields.String(required=True)
    year = fields.Integer(required=True)
    title = fields.String(required=True)
    region_code = fields.String(allow_none=True, required=True)


class RelationViewSchema(Schema):
    id = fields.Integer(required=True)
    type = fields.String(required=True)
    label = fields.String(required=True, metadata={"description": "mis. mengubah, dicabut oleh"})
    inverse_label = fields.String(required=True)
    effective_on = fields.Date(allow_none=True, required=True)
    note = fields.String(allow_none=True, required=True)
    regulation = fields.Nested(RelatedRegulationSchema, required=True)


class RelationsSchema(Schema):
    outgoing = fields.List(fields.Nested(RelationViewSchema), required=True)
    incoming = fields.List(fields.Nested(RelationViewSchema), required=True)


class AuditEntrySchema(Schema):
    id = fields.Integer(required=True)
    at = Timestamp(required=True)
    actor = fields.String(attribute="actor_label", required=True)
    action = fields.String(required=True)
    before = fields.Dict(allow_none=True, required=True)
    after = fields.Dict(allow_none=True, required=True)


class CitationSchema(Schema):
    text = fields.String(required=True)
    form = fields.String(required=True)
    number = fields.String(required=True)
    year = fields.Integer(required=True)
    regulation_id = fields.Integer(allow_none=True, required=True)


class ExtractionSchema(Schema):
    handle = fields.String(
        required=True,
        metadata={
            "description": "Kirim sebagai file_handle pada POST /regulations untuk menyimpan"
        },
    )
    media_type = fields.String(required=True)
    text_status = fields.String(required=True)
    proposal = fields.Dict(required=True)
    confidence = fields.Dict(
        keys=fields.String(),
        values=fields.String(validate=validate.OneOf(["read", "inferred", "absent"])),
        required=True,
        metadata={
            "description": "Per kolom: read (tertulis di dokumen), inferred (disimpulkan dari "
            "bagian lain), absent (tidak ditemukan)"
        },
    )
    notes = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        required=True,
        metadata={"description": "Per kolom yang tidak pasti: alasannya"},
    )
    citations = fields.List(fields.Nested(CitationSchema), required=True)
