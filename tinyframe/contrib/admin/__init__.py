"""The admin: a create, read, update and delete interface generated from the models' ``_meta``."""
