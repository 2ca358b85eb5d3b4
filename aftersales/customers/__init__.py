"""Customers, products, serial numbers and warranty."""
