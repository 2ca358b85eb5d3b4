"""The compliance engine: the clause catalog, the providers modules register, the rubric,
scoring, the snapshots the dashboard reads, and the checks they hold."""
