"""The course machinery: one folder per chapter, and the learner's tool.

How it works: each ``NN_slug/chapter.toml`` says which files of ``tinyframe/`` the
chapter owns and which of their functions are its exercises (``course``). From
those manifests and the marker comments in the reference code, ``staging`` writes
the framework as it stands after any chapter, ``stubs`` turns a chapter's exercises
into ``NotImplementedError`` stubs, ``workspace`` keeps a learner's copy and
progress, ``check`` runs the course's own chapter tests against that copy through
``pytest_plugin``, and ``tutorials`` keeps the tutorials' code in step with the
source. ``python -m chapters`` (``__main__``) puts it all on the command line.
"""
