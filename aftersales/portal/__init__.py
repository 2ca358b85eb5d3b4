"""The customer's own door: public pages under /portal/, phone-first."""
