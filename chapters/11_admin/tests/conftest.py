"""Fixtures shared by chapter 11's tests (the admin).

Nothing here imports an exercise's module at module level: a test module
must load while an exercise of the chapter is still a stub.
"""

import pytest
