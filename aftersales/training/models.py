"""Staff, their certificates, the qualification rules dispatch reads, annual training
plans, training sessions with courseware, attendance (sign-in, exam score) and the
uploaded files behind scans and courseware."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.core.clock import utcnow
from aftersales.core.models import Audited
from aftersales.core.types import UTCDateTime
from aftersales.core.vocabulary import Vocabulary
from aftersales.extensions import db

# The after-sales department, the supervision body of clause 5.1.5.1, and the others.


class Department(Vocabulary):
    AFTER_SALES = "after_sales", _l("After-sales department")
    SUPERVISION = "supervision", _l("Service supervision")
    CUSTOMER_SERVICE = "customer_service", _l("Customer service centre")
    TECHNICAL = "technical", _l("Technical department")
    QUALITY = "quality", _l("Quality department")
    OTHER = "other", _l("Other")


DEPARTMENTS = Department.codes()


class Post(Vocabulary):
    SERVICE_MANAGER = "service_manager", _l("Service manager")
    TECHNICIAN = "technician", _l("Technician")
    AGENT = "agent", _l("Service agent")
    DISPATCHER = "dispatcher", _l("Dispatcher")
    TRAINER = "trainer", _l("Trainer")
    SUPERVISOR = "supervisor", _l("Service supervisor")
    OTHER = "other", _l("Other")


POSTS = Post.codes()


class CertificateType(Vocabulary):
    SERVICE_MANAGER = "service_manager", _l("Certified after-sales service manager")
    ELECTRICIAN = "electrician", _l("Electrician's licence")
    REFRIGERATION = "refrigeration", _l("Refrigeration work licence")
    GAS = "gas", _l("Gas appliance work licence")
    HEIGHT_WORK = "height_work", _l("Work-at-height licence")


CERTIFICATE_TYPES = CertificateType.codes()
SERVICE_MANAGER_CERTIFICATE = "service_manager"


class SessionKind(Vocabulary):
    TECHNICAL = "technical", _l("Technical skills")
    BUSINESS = "business", _l("Business skills")
    SERVICE_CULTURE = "service_culture", _l("Service culture")


SESSION_KINDS = SessionKind.codes()


class SignInMethod(Vocabulary):
    QR = "qr", _l("QR code")
    ROSTER = "roster", _l("Roster")


SIGN_IN_METHODS = SignInMethod.codes()


class FilePurpose(Vocabulary):
    CERTIFICATE_SCAN = "certificate_scan"
    COURSEWARE = "courseware"


FILE_PURPOSES = FilePurpose.codes()
# Ticket types (aftersales/tickets/models.py TICKET_TYPES) a technician may do.


class WorkType(Vocabulary):
    REPAIR = "repair", _l("Repair")
    INSTALLATION = "installation", _l("Installation")
    MAINTENANCE = "maintenance", _l("Maintenance")
    DELIVERY = "delivery", _l("Delivery")
    RETURN = "return", _l("Return")
    RECYCLING = "recycling", _l("Recycling")


WORK_TYPES = WorkType.codes()


class StoredFile(Audited, db.Model):
    """An uploaded file: its bytes are in the storage backend under `storage_key`."""

    __tablename__ = "training_files"
    __table_args__ = (
        CheckConstraint(FilePurpose.check("purpose"), name="known_purpose"),
        CheckConstraint("size_bytes > 0", name="not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(20))
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Staff(Audited, db.Model):
    """A member of staff. `user_id` links them to their login, when they have one."""

    __tablename__ = "staff"
    __table_args__ = (
        CheckConstraint(Department.check("department"), name="known_department"),
        CheckConstraint(Post.check("post"), name="known_post"),
        Index("ix_staff_outlet_id_id", "outlet_id", "id"),
        Index("ix_staff_department_id", "department", "id"),
        Index("ix_staff_post_active", "post", "is_active"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_no: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(50))
    post: Mapped[str] = mapped_column(String(20))
    department: Mapped[str] = mapped_column(String(20))
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id"))
    is_service_management: Mapped[bool] = mapped_column(default=False)
    is_active: Mapped[bool] = mapped_column(default=True)
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StaffWorkType(Audited, db.Model):
    """One kind of field work (a ticket type) a member of staff does."""

    __tablename__ = "staff_work_types"
    __table_args__ = (CheckConstraint(WorkType.check("work_type"), name="known_work_type"),)

    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True
    )
    work_type: Mapped[str] = mapped_column(String(16), primary_key=True)


class Certificate(Audited, db.Model):
    __tablename__ = "certificates"
    __table_args__ = (
        CheckConstraint(CertificateType.check("type"), name="known_type"),
        CheckConstraint(
            "expires_on IS NULL OR expires_on >= issued_on", name="expires_after_issue"
        ),
        UniqueConstraint("type", "number", name="uq_certificates_type_number"),
        Index("ix_certificates_staff_id_type", "staff_id", "type"),
        Index("ix_certificates_expires_on", "expires_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    type: Mapped[str] = mapped_column(String(20))
    number: Mapped[str] = mapped_column(String(64))
    issuer: Mapped[str] = mapped_column(String(100))
    issued_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)  # None: does not expire
    scan_file_id: Mapped[int | None] = mapped_column(ForeignKey("training_files.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class QualificationRule(Audited, db.Model):
    """Work of this product category and/or this work type needs this certificate."""

    __tablename__ = "qualification_rules"
    __table_args__ = (
        CheckConstraint(CertificateType.check("certificate_type"), name="known_type"),
        CheckConstraint(
            f"work_type IS NULL OR {WorkType.check('work_type')}", name="known_work_type"
        ),
        CheckConstraint(
            "product_category IS NOT NULL OR work_type IS NOT NULL", name="says_what_work"
        ),
        UniqueConstraint(
            "certificate_type", "product_category", "work_type", name="uq_qualification_rule"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_type: Mapped[str] = mapped_column(String(20))
    product_category: Mapped[str | None] = mapped_column(String(32))
    work_type: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(String(200), default="")


class TrainingPlan(Audited, db.Model):
    """The training plan of one year (5.1.3.2)."""

    __tablename__ = "training_plans"
    __table_args__ = (
        CheckConstraint("year BETWEEN 2000 AND 2100", name="year_range"),
        CheckConstraint("planned_sessions >= 0 AND planned_hours >= 0", name="not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text, default="")
    planned_sessions: Mapped[int] = mapped_column(default=0)
    planned_hours: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TrainingSession(Audited, db.Model):
    __tablename__ = "training_sessions"
    __table_args__ = (
        CheckConstraint(SessionKind.check("kind"), name="known_kind"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("minutes > 0", name="positive_minutes"),
        CheckConstraint("pass_mark IS NULL OR pass_mark BETWEEN 0 AND 100", name="pass_mark_range"),
        Index("ix_training_sessions_starts_at", "starts_at"),
        Index("ix_training_sessions_kind_starts_at", "kind", "starts_at"),
        Index("ix_training_sessions_outlet_id_id", "outlet_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("training_plans.id"), index=True)
    topic: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    trainer: Mapped[str] = mapped_column(String(100))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    minutes: Mapped[int] = mapped_column()  # training time, ends_at - starts_at
    place: Mapped[str] = mapped_column(String(200))
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id"))
    pass_mark: Mapped[int | None] = mapped_column()  # None: no exam
    sign_in_token: Mapped[str] = mapped_column(String(43), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Courseware(Audited, db.Model):
    __tablename__ = "training_courseware"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("training_sessions.id", ondelete="CASCADE"), index=True
    )
    file_id: Mapped[int] = mapped_column(ForeignKey("training_files.id"))


class Attendance(Audited, db.Model):
    """One trainee of one session: on the roster, signed in (or not), exam score."""

    __tablename__ = "training_attendance"
    __table_args__ = (
        UniqueConstraint("session_id", "staff_id", name="uq_training_attendance"),
        CheckConstraint(
            f"method IS NULL OR {SignInMethod.check('method')}", name="known_method"
        ),
        CheckConstraint("(signed_in_at IS NULL) = (method IS NULL)", name="signed_in_has_method"),
        CheckConstraint("score IS NULL OR score BETWEEN 0 AND 100", name="score_range"),
        CheckConstraint("(score IS NULL) = (passed IS NULL)", name="score_has_result"),
        CheckConstraint("score IS NULL OR signed_in_at IS NOT NULL", name="scored_when_present"),
        Index("ix_training_attendance_staff_id_signed_in_at", "staff_id", "signed_in_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("training_sessions.id", ondelete="CASCADE")
    )
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    signed_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    method: Mapped[str | None] = mapped_column(String(8))
    score: Mapped[int | None] = mapped_column()
    passed: Mapped[bool | None] = mapped_column()
