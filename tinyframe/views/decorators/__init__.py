"""Decorators for views; ``tinyframe.views.decorators.http`` restricts the HTTP methods a view accepts."""
