"""The customer-meeting register (客户恳谈会): when the company sat down with its
customers, who came, and the minutes that prove it — at least two a year (seed 000),
the live evidence of clause 5.3.1.5."""
