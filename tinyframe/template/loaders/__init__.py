"""Template loaders: where an engine finds a template's source by name.

How it works: a loader turns a name into candidate ``Origin`` objects
(``get_template_sources``: a path in each directory, a key in a dict) and
reads the first one that exists (``get_contents``); ``base.Loader.get_template``
does that loop and parses the source into a ``Template``. ``filesystem``
searches the engine's ``dirs``, ``app_directories`` the ``templates/``
directory of each installed app, ``locmem`` a dict (for tests), and ``cached``
wraps other loaders and keeps every template it has parsed.
"""
