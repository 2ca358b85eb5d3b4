"""What the company has committed to, in its own published words (clauses 5.1.7.2,
5.2.1.3, 5.2.5.2 ...): the service commitments, warranty terms, repair price list,
recycling notice and defect disclosures. Only the version in force today of each, as the
evidence engine keeps it approved; each opens in the browser or downloads."""

from io import BytesIO

from flask import render_template, send_file

from aftersales.core.auth import public
from aftersales.core.clock import local_today
from aftersales.core.uploads import extension_of
from aftersales.evidence import services as evidence_services
from aftersales.extensions import db
from aftersales.portal.blueprint import bp

# Kinds a phone's browser shows by itself; anything else (Office files) downloads.
SHOWN_INLINE = frozenset({"application/pdf", "image/png", "image/jpeg"})


@bp.route("/commitments")
@public
def commitments():
    return render_template(
        "portal/commitments.html",
        documents=evidence_services.published_documents(db.session, local_today()))


@bp.route("/commitments/<int:version_id>")
@public
def commitment_file(version_id):
    shown, content = evidence_services.published_file(db.session, version_id, local_today())
    return send_file(
        BytesIO(content), mimetype=shown.content_type,
        as_attachment=shown.content_type not in SHOWN_INLINE,
        download_name=f"{shown.title} {shown.version}{extension_of(shown.content_type)}")
