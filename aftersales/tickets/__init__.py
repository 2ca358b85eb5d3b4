"""Work orders: intake, the state machine, SLA clocks and the timeline."""
