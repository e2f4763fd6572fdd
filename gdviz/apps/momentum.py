"""Why momentum works (09): click the rate map, and Chad walks the ravine with those settings."""

__all__ = []
