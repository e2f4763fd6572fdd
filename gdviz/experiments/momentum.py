"""Why momentum works (09): its rate of convergence on a quadratic, in theory and in a run."""

__all__ = []
