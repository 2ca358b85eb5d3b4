"""Names shown for the evidence engine's codes (translated in the zh catalog)."""

from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "met": _l("Met"),
    "partly_met": _l("Partly met"),
    "not_met": _l("Not met"),
    "no_data": _l("No data"),
    "not_applicable": _l("Not applicable"),
}
EVIDENCE_LABELS = {
    "metric": _l("Live metric"),
    "document": _l("Managed document"),
    "sample": _l("Record sample"),
    "attestation": _l("Attestation"),
}
LEVEL_LABELS = {
    "compliant": _l("Compliant (70)"),
    "three_star": _l("Three stars (80)"),
    "four_star": _l("Four stars (90)"),
    "five_star": _l("Five stars (95)"),
    None: _l("Below the compliant level"),
}
MILESTONE_LABELS = {
    "system_started": _l("Service system started running"),
    "may_apply": _l("Earliest application (3 months of running)"),
    "certified": _l("Certificate issued"),
    "surveillance_1": _l("First yearly surveillance audit"),
    "surveillance_2": _l("Second yearly surveillance audit"),
    "apply_renewal": _l("Apply for renewal (3 months before expiry)"),
    "expires": _l("Certificate expires (3 years)"),
}
VERSION_LABELS = {
    "draft": _l("Draft"),
    "approved": _l("Approved"),
    "withdrawn": _l("Withdrawn"),
}
ACTION_STATE_LABELS = {
    "open": _l("Open"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
    "cancelled": _l("Cancelled"),
}
SOURCE_LABELS = {
    "complaint": _l("Complaint"),
    "return_visit": _l("Return visit"),
    "audit": _l("Audit finding"),
    "self_assessment": _l("Self-assessment"),
    "other": _l("Other"),
}
ITEM_KIND_LABELS = {"deduction": _l("Special deduction (−1)"), "bonus": _l("Special bonus (+1)")}
BASIS_LABELS = {
    "law": _l("Breach of a law or regulation"),
    "company_rule": _l("Breach of the company's own service rules"),
    "industry": _l("Breach of an industry requirement"),
    "strength": _l("Industry-leading strength"),
}
ITEM_STATE_LABELS = {
    "open": _l("To rectify"),
    "rectifying": _l("Rectifying"),
    "rectified": _l("Rectified"),
    "void": _l("Void"),
}
RECORD_LABELS = {
    "tickets": _l("Work order"),
    "calls": _l("Call"),
    "return_visits": _l("Return visit"),
    "evidence_improvement_actions": _l("Improvement action"),
    "evidence_special_items": _l("Special deduction"),
}
DEPARTURE_LABELS = {
    "points": _l("points"),
    "applicable": _l("applicability"),
    "attestation evidence": _l("attestation evidence"),
    "target": _l("target"),
    "limit": _l("time limit (hours)"),
}
SETTING_LABELS = {
    "period_days": _l("Evaluation period (days)"),
    "deduction_window_days": _l("Special items count for (days)"),
    "system_started_on": _l("Service system running since"),
    "certified_on": _l("Certificate issued on"),
}
EXPORT_STATE_LABELS = {
    "queued": _l("Queued"),
    "running": _l("Building"),
    "done": _l("Ready"),
    "failed": _l("Failed"),
    "cancelled": _l("Cancelled"),
}
