"""Complaints: intake from any channel, response and resolution clocks, the escalation
ladder, handling, the archive check."""
