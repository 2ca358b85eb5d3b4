"""Names shown for the evidence engine's codes (translated in the zh catalog)."""

from flask_babel import lazy_gettext as _l

from aftersales.evidence.models import (
    ActionSource,
    ActionState,
    ExportState,
    FreezeState,
    ItemBasis,
    ItemKind,
    ItemState,
    VersionState,
)

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
VERSION_LABELS = VersionState.labels()
ACTION_STATE_LABELS = ActionState.labels()
SOURCE_LABELS = ActionSource.labels()
ITEM_KIND_LABELS = ItemKind.labels()
BASIS_LABELS = ItemBasis.labels()
ITEM_STATE_LABELS = ItemState.labels()
RECORD_LABELS = {
    "tickets": _l("Work order"),
    "calls": _l("Call"),
    "return_visits": _l("Return visit"),
    "complaint_mediator_appointments": _l("Service mediator"),
    "evidence_improvement_actions": _l("Improvement action"),
    "evidence_special_items": _l("Special deduction"),
}
DEPARTURE_LABELS = {
    "points": _l("points"),
    "applicable": _l("applicability"),
    "attestation evidence": _l("attestation evidence"),
    "target": _l("target"),
    "limit": _l("time limit (hours)"),
    "weights": _l("weights"),
}
SETTING_LABELS = {
    "period_days": _l("Evaluation period (days)"),
    "deduction_window_days": _l("Special items count for (days)"),
    "system_started_on": _l("Service system running since"),
    "certified_on": _l("Certificate issued on"),
}
EXPORT_STATE_LABELS = ExportState.labels()
FREEZE_STATE_LABELS = FreezeState.labels()
