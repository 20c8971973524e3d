"""Handlers turn what a server gives them into a request, and a response into what the server sends."""
