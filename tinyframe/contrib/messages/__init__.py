"""Messages: one-time notes for the next page a visitor sees ("Your comment was posted.")."""
