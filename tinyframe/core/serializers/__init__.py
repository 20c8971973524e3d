"""Turning Python values into text formats; for now JSON, for ``JsonResponse``."""
