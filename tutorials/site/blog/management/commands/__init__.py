"""The blog's commands: ``ensuresuperuser``."""
