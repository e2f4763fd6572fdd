"""The post's training loop in the open, and what feature scaling does to the landscape (06)."""

__all__ = []
