from marshmallow import Schema, fields, validate

from aftersales.core.fields import Day, DecimalText, Int, LocalMoment, Text, Yuan
from aftersales.core.pagination import PageArgsSchema
from aftersales.tickets.customer_steps import ASKED_STEPS
from aftersales.tickets.models import (
    Priority,
    StampKind,
    TicketState,
    TicketType,
)


class TicketInSchema(Schema):
    type = fields.String(required=True, validate=TicketType.validator())
    priority = fields.String(load_default="normal", validate=Priority.validator())
    customer_id = Int(required=True)
    description = Text(required=True, validate=validate.Length(min=1, max=4000))
    service_address = fields.String(load_default=None, validate=validate.Length(max=200))
    serial = fields.String(load_default=None, validate=validate.Length(max=64))
    product_id = Int(load_default=None, allow_none=True)
    outlet_id = Int(load_default=None, allow_none=True)
    received_at = fields.AwareDateTime(
        load_default=None, metadata={"description": "When the customer reported (default now)"}
    )


class TicketPageSchema(TicketInSchema):
    """The page's form: the time reported is typed in local time, the customer is the one
    chosen above the form, and the outlet is the one that covers the service address."""

    received_at = LocalMoment(load_default=None)


class TicketPageQuerySchema(Schema):
    customer_id = Int(load_default=None)
    customer_q = Text(load_default="", validate=validate.Length(max=100))


class TicketOutSchema(Schema):
    id = Int()
    number = fields.String()
    type = fields.String()
    priority = fields.String()
    state = fields.String()
    customer_id = Int()
    serial_id = Int(allow_none=True)
    product_id = Int(allow_none=True)
    outlet_id = Int(allow_none=True)
    technician_id = Int(allow_none=True)
    description = fields.String()
    service_address = fields.String()
    warranty_status = fields.String()
    received_at = fields.DateTime()
    created_at = fields.DateTime()
    response_due_at = fields.DateTime()
    resolution_due_at = fields.DateTime()
    calendar_guessed = fields.Boolean(metadata={
        "description": "The business-hour clocks counted over a year whose holiday schedule "
                       "was not entered (Monday to Friday assumed)."})
    arrival_due_at = fields.DateTime(allow_none=True)
    responded_at = fields.DateTime(allow_none=True)
    arrived_at = fields.DateTime(allow_none=True)
    resolved_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    response_met = fields.Boolean(allow_none=True)
    arrival_met = fields.Boolean(allow_none=True)
    resolution_met = fields.Boolean(allow_none=True)
    resolution_variance_seconds = Int(allow_none=True)
    cancel_reason = fields.String(allow_none=True)
    arrival_verified_at = fields.DateTime(allow_none=True)
    service_latitude = DecimalText(allow_none=True)
    service_longitude = DecimalText(allow_none=True)
    service_location_precision = fields.String(allow_none=True)
    channel = fields.String(metadata={
        "description": "How it came in: desk, hotline, portal or return_visit."})
    window_starts_at = fields.DateTime(allow_none=True, metadata={
        "description": "The visit window the customer booked on the portal, if any."})
    window_ends_at = fields.DateTime(allow_none=True)


class TicketEventSchema(Schema):
    at = fields.DateTime()
    actor_label = fields.String()
    from_state = fields.String(allow_none=True)
    to_state = fields.String()
    note = fields.String(allow_none=True)


class TicketDetailSchema(TicketOutSchema):
    events = fields.List(fields.Nested(TicketEventSchema))


class MoveSchema(Schema):
    to_state = fields.String(required=True, validate=TicketState.validator())
    note = fields.String(load_default=None, validate=validate.Length(max=2000))
    technician_id = Int(load_default=None, allow_none=True)
    reason = fields.String(load_default=None, validate=validate.Length(max=200))
    override_reason = fields.String(load_default=None, validate=validate.Length(max=500))


class TicketQuerySchema(PageArgsSchema):
    state = fields.String(load_default=None, validate=TicketState.validator())
    type = fields.String(load_default=None, validate=TicketType.validator())
    priority = fields.String(load_default=None, validate=Priority.validator())
    outlet_id = Int(load_default=None)
    technician_id = Int(load_default=None)
    customer_id = Int(load_default=None)
    overdue = fields.Boolean(load_default=False)
    q = fields.String(load_default=None, validate=validate.Length(max=100))


class PartUseSchema(Schema):
    part_id = Int(required=True)
    quantity = Int(load_default=1, validate=validate.Range(min=1, max=100))
    removed_serial = Text(load_default=None, validate=validate.Length(max=64), metadata={
        "description": "The serial of the part taken out of the unit, if it has one"})


class WorkReturnSchema(Schema):
    quantity = Int(load_default=1, validate=validate.Range(min=1, max=100))
    note = Text(load_default=None, validate=validate.Length(max=200))


class TicketPartSchema(Schema):
    id = Int()
    part_id = Int()
    quantity = Int()
    returned = Int(metadata={"description": "How many went back to stock unused"})
    removed_serial = fields.String(allow_none=True)
    unit_price_fen = Int()
    charged = fields.Boolean()
    used_at = fields.DateTime()


class QuoteSchema(Schema):
    amount_fen = Int(required=True, validate=validate.Range(min=0, max=10**9))


class QuoteOutSchema(Schema):
    amount_fen = Int()
    quoted_at = fields.DateTime()
    accepted_at = fields.DateTime(allow_none=True)


class ChargesSchema(Schema):
    """What the customer pays and every price they were told, as the work-order page shows."""

    parts_fen = Int(metadata={"description": "Parts charged (out of warranty), in fen."})
    labour_fen = Int(metadata={"description": "The product's labour fee, in fen."})
    total_fen = Int(metadata={"description": "Total payable, in fen."})
    quote_fen = Int(allow_none=True, metadata={"description": "The last quote, in fen."})
    quote_accepted_at = fields.DateTime(allow_none=True)
    exceeds_quote = fields.Boolean(metadata={
        "description": "The total is more than the accepted quote: a new quote the customer "
                       "accepts is needed before the work can be resolved."})
    quotes = fields.List(fields.Nested(QuoteOutSchema))


class QuotePageSchema(Schema):
    amount_fen = Yuan(required=True, data_key="amount")


class CustomerLinkPageSchema(Schema):
    """Which step the technician asks the customer standing there to confirm."""

    step = fields.String(required=True, validate=validate.OneOf(ASKED_STEPS))


class AssignSchema(Schema):
    technician_id = Int(required=True)
    override_reason = fields.String(load_default=None, validate=validate.Length(max=500))


class SignoffInSchema(Schema):
    signer_name = Text(required=True, validate=validate.Length(min=1, max=100))
    signature = fields.String(
        required=True, metadata={"description": "data:image/png;base64,... from a signature pad"}
    )


class SignoffOutSchema(Schema):
    ticket_id = Int()
    signer_name = fields.String()
    signed_at = fields.DateTime()


class StockReceiptSchema(Schema):
    outlet_id = Int(required=True)
    part_id = Int(required=True)
    quantity = Int(required=True, validate=validate.Range(min=1, max=100000))
    note = Text(load_default=None, validate=validate.Length(max=200),
                metadata={"description": "Delivery note, supplier, …"})


class StockTransferSchema(Schema):
    from_outlet_id = Int(required=True)
    to_outlet_id = Int(required=True)
    part_id = Int(required=True)
    quantity = Int(required=True, validate=validate.Range(min=1, max=100000))
    note = Text(load_default=None, validate=validate.Length(max=200))


class SupplierReturnSchema(Schema):
    outlet_id = Int(required=True)
    part_id = Int(required=True)
    quantity = Int(required=True, validate=validate.Range(min=1, max=100000))
    reason = Text(required=True, validate=validate.Length(min=1, max=200))


class StockMovementSchema(Schema):
    id = Int()
    outlet_id = Int()
    part_id = Int()
    kind = fields.String(metadata={"description": "receipt, use, work_return, transfer_out, "
                                                  "transfer_in or supplier_return"})
    quantity = Int(metadata={"description": "Positive in, negative out"})
    balance_after = Int()
    note = fields.String(allow_none=True)
    ticket_id = Int(allow_none=True)
    linked_id = Int(allow_none=True, metadata={
        "description": "A transfer's movement in names its movement out"})
    at = fields.DateTime()


class TransferOutSchema(Schema):
    out = fields.Nested(StockMovementSchema)
    into = fields.Nested(StockMovementSchema, data_key="in")


class HoldingSchema(Schema):
    part_id = Int()
    part_code = fields.String()
    part_name = fields.String()
    on_hand = Int()
    last_moved_at = fields.DateTime(allow_none=True)


class LedgerLineSchema(Schema):
    id = Int()
    at = fields.DateTime()
    kind = fields.String()
    part_id = Int()
    part_code = fields.String()
    part_name = fields.String()
    quantity = Int()
    balance_after = Int()
    ticket_id = Int(allow_none=True)
    ticket_number = fields.String(allow_none=True)
    actor_name = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    other_outlet_name = fields.String(allow_none=True, metadata={
        "description": "A transfer's other outlet"})


class LedgerQuerySchema(PageArgsSchema):
    part_id = Int(load_default=None)


class StockPageQuerySchema(PageArgsSchema):
    """The stock page's address: the outlet, and the part whose ledger is shown (named
    `part`, so a refused form's part_id does not filter the ledger drawn under it)."""

    outlet_id = Int(load_default=None)
    part_id = Int(load_default=None, data_key="part")
    action = fields.String(load_default="receive",
                           validate=validate.OneOf(("receive", "transfer", "supplier")))


class StockLevelSchema(Schema):
    outlet_id = Int()
    part_id = Int()
    on_hand = Int()


class LoanerInSchema(Schema):
    outlet_id = Int(required=True)
    asset_tag = Text(required=True, validate=validate.Length(min=1, max=40))
    description = Text(required=True, validate=validate.Length(min=1, max=200))
    category = fields.String(load_default=None, validate=validate.Length(max=40))


class LoanerSchema(Schema):
    id = Int()
    outlet_id = Int()
    asset_tag = fields.String()
    description = fields.String()
    category = fields.String(allow_none=True)
    state = fields.String()


class LoanerQuerySchema(Schema):
    outlet_id = Int(required=True)


class LendSchema(Schema):
    loaner_id = Int(required=True)
    due_back_on = Day(required=True)


class TakeBackSchema(Schema):
    condition = fields.String(load_default="", validate=validate.Length(max=200))


class LoanSchema(Schema):
    id = Int()
    loaner_id = Int()
    ticket_id = Int()
    lent_at = fields.DateTime()
    due_back_at = fields.DateTime()
    returned_at = fields.DateTime(allow_none=True)
    returned_condition = fields.String(allow_none=True)


class StampInSchema(Schema):
    client_id = fields.UUID(
        required=True, metadata={"description": "Made by the phone; a resend reuses it"}
    )
    kind = fields.String(required=True, validate=StampKind.validator())
    latitude = fields.Float(required=True, allow_nan=False)
    longitude = fields.Float(required=True, allow_nan=False)
    accuracy_m = fields.Float(required=True, allow_nan=False,
                              metadata={"description": "Reported accuracy, metres"})
    device_at = fields.AwareDateTime(required=True, metadata={"description": "The phone's time"})
    queued = fields.Boolean(
        load_default=False, metadata={"description": "Taken offline and sent later"}
    )


class StampOutSchema(Schema):
    id = Int()
    client_id = fields.String()
    ticket_id = Int()
    technician_id = Int()
    kind = fields.String()
    latitude = DecimalText()
    longitude = DecimalText()
    accuracy_m = DecimalText()
    device_at = fields.DateTime()
    server_at = fields.DateTime()
    late = fields.Boolean()
    status = fields.String(metadata={"description": "recorded, verified, off_site or "
                                                    "no_service_location"})
    verified = fields.Boolean()
    distance_m = Int(allow_none=True)
    geofence_m = Int(allow_none=True)
    impossible_speed = fields.Boolean()
    speed_kmh = Int(allow_none=True)
    clock_skew = fields.Boolean()
    flags = fields.List(fields.String())
    to_state = fields.String(allow_none=True)
    step_refused = fields.String(allow_none=True)


class StampReceiptSchema(Schema):
    stamp = fields.Nested(StampOutSchema)
    resent = fields.Boolean(metadata={"description": "True: already stored, nothing changed"})
    ticket_state = fields.String()
    message = fields.String(metadata={"description": "What was made of it, for the technician"})
