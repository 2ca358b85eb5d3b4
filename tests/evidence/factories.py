"""Evidence records built through the services, on days counted back from today (local),
so every record falls inside the rolling evaluation period whenever the suite runs."""

from datetime import datetime, time, timedelta

from sqlalchemy import select

from aftersales.core.clock import DEFAULT_ZONE, local_today
from aftersales.core.models import User
from aftersales.evidence import services
from aftersales.evidence.compliance import catalog, engine
from aftersales.extensions import db
from tests.factories import make_user

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def days_ago(days: int):
    return local_today() - timedelta(days=days)


def make_document(kind="service_manual", title="售后服务手册", effective_days_ago=200,
                  review_in_days=None, approve=True, actor=None, content=PDF, commit=True,
                  approved_days_ago=None):
    """A document with one version; approved (by someone other than the uploader) unless
    told otherwise, on its effective day unless `approved_days_ago` says when."""
    document = services.create_document(db.session, actor, kind, title)
    version = services.add_version(
        db.session, actor, document, "V1", days_ago(effective_days_ago),
        local_today() + timedelta(days=review_in_days) if review_in_days is not None else None,
        "manual.pdf", content,
    )
    if approve:
        approve_in_past(version, approved_days_ago if approved_days_ago is not None
                        else effective_days_ago)
    if commit:
        db.session.commit()
    return document, version


def approver():
    """The second pair of eyes that approves evidence in these tests."""
    found = db.session.scalar(select(User).where(User.username == "approver"))
    return found or make_user("manager", username="approver", commit=False)


def approve_in_past(version, days: int) -> None:
    """Approve through the service, then date the approval `days` back (local midnight):
    the records the test builds happened in the past too."""
    services.approve_version(db.session, approver(), version)
    version.approved_at = datetime.combine(days_ago(days), time(), DEFAULT_ZONE)


def make_action(due_days_ago=5, done_days_ago=None, title="整改派工时段", commit=True):
    """An improvement action due `due_days_ago`; done `done_days_ago` when given."""
    action = services.create_action(
        db.session, None, title, "return_visit", "刘洋", days_ago(due_days_ago),
        opened_on=days_ago(due_days_ago + 30),
    )
    if done_days_ago is not None:
        services.set_action_status(db.session, action, "done", result="已完成",
                                   done_on=days_ago(done_days_ago))
    if commit:
        db.session.commit()
    return action


def make_deduction(raised_days_ago=3, commit=True, **values):
    item = services.create_item(
        db.session, None, values.pop("kind", "deduction"), values.pop("basis", "company_rule"),
        values.pop("description", "工单未签字即关闭"), raised_on=days_ago(raised_days_ago),
        **values,
    )
    if commit:
        db.session.commit()
    return item


def snapshot(commit=True, **values):
    shot = engine.compute(db.session, **values)
    if commit:
        db.session.commit()
    return shot


def clause_fed_by(provider_key: str) -> str:
    """The number of the catalog's clause a metric feeds (tests name no clause by hand)."""
    return next(clause.number for clause in catalog.load().clauses
                if provider_key in clause.providers)


def records_page(provider_key: str) -> str:
    """The page listing the records behind a metric, under the clause it feeds."""
    return f"/evidence/clauses/{clause_fed_by(provider_key)}/records/{provider_key}"
