"""The request's one transaction: the view runs, a success commits, and a deadlock (or a
serialization failure) that PostgreSQL resolved by rolling this request back runs the
view once more from the start, rather than answering an error the user did nothing to
cause. Services only flush; nothing else commits in a request."""

from flask import Flask, request
from sqlalchemy.exc import OperationalError

from aftersales.core.url_rules import LazilyBuiltRule
from aftersales.extensions import db

# deadlock_detected, serialization_failure: the database rolled the transaction back and
# says running it again may succeed.
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})


def rolled_back_by_database(error: OperationalError) -> bool:
    return getattr(error.orig, "sqlstate", None) in RETRYABLE_SQLSTATES


class TransactionalFlask(Flask):
    url_rule_class = LazilyBuiltRule

    def dispatch_request(self):
        try:
            return self._dispatch_and_commit()
        except OperationalError as error:
            db.session.rollback()
            if not rolled_back_by_database(error):
                raise
            self.logger.warning("retrying %s %s after: %s", request.method, request.path,
                                error.orig)
            for upload in request.files.values():
                upload.stream.seek(0)  # the first attempt read it
            return self._dispatch_and_commit()

    def _dispatch_and_commit(self):
        response = self.make_response(super().dispatch_request())
        if response.status_code < 400:
            db.session.commit()  # the audit chain is written here (core/audit.py)
        return response
