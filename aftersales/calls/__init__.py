"""The hotline call log: answered and missed calls, callbacks, the answer-rate figures."""
