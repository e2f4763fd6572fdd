"""Training in the open (06): alpha and epochs on sliders, the decision line moving."""

__all__ = []
