"""Training in the open (06): the post's loop and feature scaling, drawn."""

__all__ = []
