"""The business calendar the operator owns: the year's holiday schedule, company closures
and working hours, stored, audited, and the clocks recomputed when they change."""
