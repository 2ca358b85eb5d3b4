"""What the coded values are called on pages and in exports."""

from aftersales.training.models import (
    CertificateType,
    Department,
    Post,
    SessionKind,
    SignInMethod,
    WorkType,
)

KINDS = SessionKind.labels()
POSTS = Post.labels()
DEPARTMENTS = Department.labels()
CERTIFICATES = CertificateType.labels()
METHODS = SignInMethod.labels()
WORK_TYPES = WorkType.labels()


def _label(table: dict, value: str | None) -> str:
    return str(table.get(value, value or ""))


def kind(value): return _label(KINDS, value)  # noqa: E704
def post(value): return _label(POSTS, value)  # noqa: E704
def department(value): return _label(DEPARTMENTS, value)  # noqa: E704
def certificate(value): return _label(CERTIFICATES, value)  # noqa: E704
def method(value): return _label(METHODS, value)  # noqa: E704
def work_type(value): return _label(WORK_TYPES, value)  # noqa: E704
