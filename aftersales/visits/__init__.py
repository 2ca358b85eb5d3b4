"""Return visits (回访): a reproducible sample of closed work orders, the calls that ask
the customer how satisfied they are, follow-ups of dissatisfied answers, the figures."""
