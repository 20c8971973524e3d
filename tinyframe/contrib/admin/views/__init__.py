"""The admin's views that are more than a ModelAdmin method: the changelist (``main.py``)."""
