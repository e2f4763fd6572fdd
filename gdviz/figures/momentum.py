"""Why momentum works (09): the rate map over (alpha, beta)."""

__all__ = []
