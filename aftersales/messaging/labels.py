"""The messaging module's vocabularies and its message templates: what a customer may be
sent, in one place, each a message id with named values, read in the customer's language."""

from flask_babel import lazy_gettext as _l

from aftersales.core.vocabulary import Vocabulary


class Channel(Vocabulary):
    SMS = "sms", _l("SMS")
    EMAIL = "email", _l("E-mail")
    PORTAL = "portal", _l("Portal message")


class MessageStatus(Vocabulary):
    QUEUED = "queued", _l("Queued")
    # Claimed by the delivery job: handed to the provider, its answer not yet recorded.
    SENDING = "sending", _l("Sending")
    SENT = "sent", _l("Sent")
    # The outbox backend (development): stored and read here, nothing left the server.
    KEPT = "kept", _l("Kept in the outbox, not sent")
    FAILED = "failed", _l("Failed")
    SKIPPED_OPT_OUT = "skipped_opt_out", _l("Not sent: customer opted out")


# Template key -> (what staff read it as, the words with the caller's named values);
# services.render reads the words' msgid in the customer's language.
TEMPLATES: dict[str, tuple] = {
    "work_order_received": (
        _l("Work order received"),
        _l("We have received your service request, work order %(number)s. "
                 "We will contact you soon."),
    ),
    "engineer_on_the_way": (
        _l("Engineer on the way"),
        _l("Our engineer %(engineer)s is on the way for work order %(number)s."),
    ),
    "work_order_completed": (
        _l("Work order completed"),
        _l("Work order %(number)s is completed. Thank you for your trust."),
    ),
    "quote_to_accept": (
        _l("Fee quote to accept"),
        _l("Work order %(number)s: the fee is %(amount)s yuan. Accept it here before the "
           "work starts: %(link)s"),
    ),
    "arrival_to_confirm": (
        _l("Arrival to confirm"),
        _l("Work order %(number)s: our technician %(engineer)s has arrived. Confirm it "
           "here: %(link)s"),
    ),
    "completion_to_confirm": (
        _l("Work to confirm"),
        _l("Work order %(number)s is done. Confirm it and rate our service here: %(link)s"),
    ),
    "resolution_to_confirm": (
        _l("Complaint resolution to confirm"),
        _l("Your complaint %(number)s is resolved. Tell us here whether you accept how: "
           "%(link)s"),
    ),
    "portal_code": (
        _l("One-time code"),
        _l("Your code is %(code)s. It opens %(number)s for 10 minutes. Never tell it to "
           "anyone, not even our staff."),
    ),
    "satisfaction_survey": (
        _l("Satisfaction survey"),
        _l("How did we do on work order %(number)s? Tell us here: %(link)s"),
    ),
}


# Values that open something (a one-time code): blanked once the message is handed over,
# and never shown on the outbox page.
SECRET_VALUES = {"portal_code": ("code",)}
HIDDEN = "******"


def template_label(key: str):
    return TEMPLATES[key][0] if key in TEMPLATES else key
