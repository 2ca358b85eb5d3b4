"""The evidence engine: GB/T 27922 clauses mapped onto live records, scored continuously."""
