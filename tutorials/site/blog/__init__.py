"""The blog app of the example site: its posts, views and URLs."""
