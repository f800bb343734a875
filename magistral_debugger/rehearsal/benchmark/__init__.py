"""Rehearsing on a published benchmark: its files read as examples, a sample of them, and the paper's scores."""
