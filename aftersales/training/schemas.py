import re

from flask_babel import lazy_gettext as _l
from flask_smorest.fields import Upload
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from aftersales.core.fields import Day, Int, LocalMoment, Text, UploadedFile
from aftersales.core.pagination import PageArgsSchema, page_schema
from aftersales.customers.labels import ProductCategory
from aftersales.training import files, imports
from aftersales.training.models import (
    CertificateType,
    Department,
    Post,
    SessionKind,
    WorkType,
)


class StaffInSchema(Schema):
    employee_no = Text(required=True, validate=validate.Length(min=1, max=32))
    name = Text(required=True, validate=validate.Length(min=1, max=50))
    post = fields.String(required=True, validate=Post.validator())
    department = fields.String(
        required=True, validate=Department.validator(),
        metadata={"description": "after_sales is the after-sales department, supervision "
                                 "the supervision body of clause 5.1.5.1."},
    )
    outlet_id = Int(load_default=None, allow_none=True)
    is_service_management = fields.Boolean(load_default=False)
    is_active = fields.Boolean(load_default=True)
    manager_id = Int(load_default=None, allow_none=True)
    user_id = Int(load_default=None, allow_none=True,
                             metadata={"description": "The login of this person, if any."})
    work_types = fields.List(fields.String(validate=WorkType.validator()),
                             load_default=list)


class StaffPatchSchema(Schema):
    name = Text(validate=validate.Length(min=1, max=50))
    post = fields.String(validate=Post.validator())
    department = fields.String(validate=Department.validator())
    outlet_id = Int(allow_none=True)
    is_service_management = fields.Boolean()
    is_active = fields.Boolean()
    manager_id = Int(allow_none=True)
    user_id = Int(allow_none=True)
    work_types = fields.List(fields.String(validate=WorkType.validator()))


class StaffOutSchema(Schema):
    id = Int()
    employee_no = fields.String()
    name = fields.String()
    post = fields.String()
    department = fields.String()
    outlet_id = Int(allow_none=True)
    is_service_management = fields.Boolean()
    is_active = fields.Boolean()
    manager_id = Int(allow_none=True)
    user_id = Int(allow_none=True)


class StaffDetailSchema(StaffOutSchema):
    work_types = fields.List(fields.String())


StaffPageSchema = page_schema(StaffOutSchema)


class StaffQuerySchema(PageArgsSchema):
    outlet_id = Int(data_key="outlet", load_default=None)
    department = fields.String(load_default=None, validate=Department.validator())
    post = fields.String(load_default=None, validate=Post.validator())
    query = fields.String(data_key="q", load_default=None, validate=validate.Length(max=50))
    active = fields.Boolean(load_default=True)


class CertificateInSchema(Schema):
    type = fields.String(required=True, validate=CertificateType.validator())
    number = Text(required=True, validate=validate.Length(min=1, max=64))
    issuer = Text(required=True, validate=validate.Length(min=1, max=100))
    issued_on = Day(required=True)
    expires_on = Day(load_default=None, allow_none=True,
                             metadata={"description": "Empty: does not expire."})


class CertificateOutSchema(Schema):
    id = Int()
    staff_id = Int()
    type = fields.String()
    number = fields.String()
    issuer = fields.String()
    issued_on = Day()
    expires_on = Day(allow_none=True)
    scan_file_id = Int(allow_none=True)


class FileUploadSchema(Schema):
    file = Upload(load_default=None)


class FileOutSchema(Schema):
    id = Int()
    purpose = fields.String()
    original_name = fields.String()
    content_type = fields.String()
    size_bytes = Int()
    sha256 = fields.String()
    uploaded_at = fields.DateTime()


class RuleInSchema(Schema):
    certificate_type = fields.String(required=True, validate=CertificateType.validator())
    product_category = fields.String(load_default=None, allow_none=True,
                                     validate=ProductCategory.validator())
    work_type = fields.String(load_default=None, allow_none=True,
                              validate=WorkType.validator())
    note = fields.String(load_default="", validate=validate.Length(max=200))

    @validates_schema
    def says_what_work(self, data, **_kwargs):
        if not data.get("product_category") and not data.get("work_type"):
            raise ValidationError([_l("Name a product category, a work type or both.")],
                                  field_name="product_category")


class RuleOutSchema(Schema):
    id = Int()
    certificate_type = fields.String()
    product_category = fields.String(allow_none=True)
    work_type = fields.String(allow_none=True)
    note = fields.String()


class MissingQuerySchema(Schema):
    user_id = Int(required=True)
    product_category = fields.String(load_default=None, validate=validate.Length(max=32))
    work_type = fields.String(required=True, validate=WorkType.validator())
    on = Day(load_default=None)


class MissingOutSchema(Schema):
    required = fields.List(fields.String())
    missing = fields.List(fields.String())


class PlanInSchema(Schema):
    year = Int(required=True, validate=validate.Range(min=2000, max=2100))
    title = Text(required=True, validate=validate.Length(min=1, max=200))
    content = fields.String(load_default="", validate=validate.Length(max=20_000))
    planned_sessions = Int(load_default=0, validate=validate.Range(min=0, max=100_000))
    planned_hours = Int(load_default=0, validate=validate.Range(min=0, max=100_000))


class PlanOutSchema(Schema):
    id = Int()
    year = Int()
    title = fields.String()
    content = fields.String()
    planned_sessions = Int()
    planned_hours = Int()


class SessionInSchema(Schema):
    topic = Text(required=True, validate=validate.Length(min=1, max=200))
    kind = fields.String(required=True, validate=SessionKind.validator())
    trainer = Text(required=True, validate=validate.Length(min=1, max=100))
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    place = Text(required=True, validate=validate.Length(min=1, max=200))
    outlet_id = Int(load_default=None, allow_none=True)
    plan_id = Int(load_default=None, allow_none=True)
    pass_mark = Int(load_default=None, allow_none=True,
                               validate=validate.Range(min=0, max=100),
                               metadata={"description": "Empty: no exam."})


class SessionOutSchema(Schema):
    id = Int()
    plan_id = Int(allow_none=True)
    topic = fields.String()
    kind = fields.String()
    trainer = fields.String()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    minutes = Int()
    place = fields.String()
    outlet_id = Int(allow_none=True)
    pass_mark = Int(allow_none=True)


SessionPageSchema = page_schema(SessionOutSchema)


class SessionQuerySchema(PageArgsSchema):
    kind = fields.String(load_default=None, validate=SessionKind.validator())
    year = Int(load_default=None, validate=validate.Range(min=2000, max=2100))
    plan_id = Int(data_key="plan", load_default=None)


class AttendanceOutSchema(Schema):
    staff_id = fields.Function(lambda line: line.attendance.staff_id)
    employee_no = fields.String()
    name = fields.String()
    signed_in_at = fields.Function(
        lambda line: line.attendance.signed_in_at.isoformat()
        if line.attendance.signed_in_at else None
    )
    method = fields.Function(lambda line: line.attendance.method)
    score = fields.Function(lambda line: line.attendance.score)
    passed = fields.Function(lambda line: line.attendance.passed)


class RosterInSchema(Schema):
    staff_ids = fields.List(Int(), required=True,
                            metadata={"description": "Staff to put on the roster."})
    present = fields.List(Int(), load_default=None,
                          metadata={"description": "If given: who is present (ticked)."})


class ScoreSchema(Schema):
    staff_id = Int(required=True)
    score = Int(required=True, allow_none=True, strict=True,
                           validate=validate.Range(min=0, max=100))


class ScoresInSchema(Schema):
    scores = fields.List(fields.Nested(ScoreSchema), required=True)


class SignedInSchema(Schema):
    session_id = Int()
    staff_id = Int()
    signed_in_at = fields.DateTime()
    method = fields.String()


class TrainingRatioSchema(Schema):
    numerator = Int()
    denominator = Int()
    share = fields.Float(allow_none=True)
    target = fields.Float(allow_none=True)


class TrainingFiguresQuerySchema(Schema):
    on = Day(load_default=None, metadata={"description": "Default: today (local)."})


class TrainingFiguresSchema(Schema):
    on = Day()
    certified_managers = fields.Nested(TrainingRatioSchema)
    certified_managers_met = fields.Boolean(allow_none=True)
    technicians_certified = fields.Nested(TrainingRatioSchema)
    training_coverage = fields.Nested(TrainingRatioSchema)
    pass_rate = fields.Nested(TrainingRatioSchema)
    service_culture_sessions = Int()
    service_culture_target = Int()


class HoursQuerySchema(Schema):
    year = Int(required=True, validate=validate.Range(min=2000, max=2100))


class HoursOutSchema(Schema):
    year = Int()
    staff_id = Int()
    hours = fields.Float()


class TrainingImportedSchema(Schema):
    imported = Int()


# --- what the pages send, where it differs from the API ----------------------------------


class StaffFormSchema(StaffInSchema):
    """The staff form names the manager by employee number and the login by user name."""

    class Meta:
        exclude = ("manager_id", "user_id")

    manager_no = Text(load_default="", validate=validate.Length(max=32))
    username = Text(load_default="", validate=validate.Length(max=64))


class StaffEditFormSchema(StaffFormSchema):
    # An unticked box is not sent: "still employed" missing means the person left.
    is_active = fields.Boolean(load_default=False)


class StaffListQuerySchema(StaffQuerySchema):
    left = fields.Boolean(load_default=False)


class CertificateFormSchema(CertificateInSchema):
    file = UploadedFile(load_default=None, metadata={"description": "The scan, if any."})


class ImportFormSchema(Schema):
    kind = fields.String(load_default="staff", validate=validate.OneOf(("staff", "certificates")))
    file = UploadedFile(required=True, error_messages={"required": imports.NO_FILE})


class SessionFormSchema(SessionInSchema):
    """Times as the datetime-local inputs send them, in the display zone."""

    starts_at = LocalMoment(required=True)
    ends_at = LocalMoment(required=True)


SESSION_ACTIONS = ("enrol", "roster", "scores", "courseware")


class SessionActionSchema(Schema):
    """Which of the session page's forms was sent."""

    action = fields.String(required=True, validate=validate.OneOf(SESSION_ACTIONS))


GIVE_NUMBERS = _l("Give one or more employee numbers.")


class EmployeeNumbers(fields.Field):
    """Employee numbers typed in one box, apart by spaces, commas or semicolons."""

    def _deserialize(self, value, attr, data, **kwargs) -> list[str]:
        return [number for number in re.split(r"[\s,，、;；]+", str(value)) if number]


class EnrolSchema(Schema):
    employee_nos = EmployeeNumbers(required=True,
                                   validate=validate.Length(min=1, error=GIVE_NUMBERS),
                                   error_messages={"required": GIVE_NUMBERS})


class RosterFormSchema(Schema):
    present = fields.List(Int(), load_default=list)


class ScoreFormSchema(Schema):
    staff_id = Int(required=True)
    score = Int(load_default=None, validate=validate.Range(min=0, max=100),
                metadata={"description": "Empty: no score (clears one)."})


class ScoresFormSchema(Schema):
    scores = fields.List(fields.Nested(ScoreFormSchema), load_default=list)


class CoursewareSchema(Schema):
    file = UploadedFile(required=True, error_messages={"required": files.NO_FILE})
