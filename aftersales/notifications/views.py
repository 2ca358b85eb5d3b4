"""Pages: the signed-in user's notifications."""

from flask import abort, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from aftersales.core.auth import requires
from aftersales.core.forms import query_input
from aftersales.core.menu import menu_entry
from aftersales.extensions import db
from aftersales.notifications import services
from aftersales.notifications.blueprint import bp
from aftersales.notifications.messages import words_of
from aftersales.notifications.schemas import InboxQuerySchema

PAGE_SIZE = 30


def _unread() -> int:
    return services.unread_count(db.session, current_user.id)


menu_entry(150, "notifications", "notifications.inbox", _l("Notifications"), count=_unread)


@bp.route("")
@requires("notifications.self")
def inbox():
    query, _errors = query_input(InboxQuerySchema())  # an unknown choice shows everything
    unread_only = query["show"] == "unread"
    page = services.list_for(db.session, current_user.id, unread_only, query["cursor"],
                             PAGE_SIZE)
    return render_template("notifications/inbox.html", page=page, unread_only=unread_only,
                           unread=_unread(),
                           words={notice.id: words_of(notice) for notice in page.items})


@bp.route("/<int:notification_id>/open", methods=["POST"])
@requires("notifications.self")
def open_one(notification_id):
    notification = services.get_own(db.session, current_user.id, notification_id)
    if notification is None:
        abort(404)
    services.mark_read(db.session, current_user.id, [notification.id])
    return redirect(notification.link or url_for("notifications.inbox"))


@bp.route("/read", methods=["POST"])
@requires("notifications.self")
def read_all():
    services.mark_read(db.session, current_user.id, None)
    return redirect(url_for("notifications.inbox"))
