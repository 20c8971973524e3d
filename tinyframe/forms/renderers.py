"""(chapter 09, being written)."""

__all__ = []
