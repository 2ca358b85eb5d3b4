"""Service outlets and their coverage of cities and of the sales area."""
