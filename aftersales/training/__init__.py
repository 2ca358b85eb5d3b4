"""Staff, certificates, qualification rules and training records (clauses 5.1.2, 5.1.3.2)."""
