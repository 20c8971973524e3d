"""The validators a username goes through: which characters it may hold.

How it works: both are ``RegexValidator`` subclasses with one pattern,
``^[\\w.@+-]+\\Z`` (word characters and ``@ . + - _``, nothing else, no
trailing newline: ``\\Z`` rather than ``$``). ``UnicodeUsernameValidator``,
the default of ``AbstractUser.username``, lets ``\\w`` match any letter
("Zoë", "Ярослав"); ``ASCIIUsernameValidator`` compiles the same pattern with
``re.ASCII``, so only a-z, A-Z, digits and ``_``.

>>> UnicodeUsernameValidator()("zoë.smith")
>>> try:
...     ASCIIUsernameValidator()("zoë")
... except validators.ValidationError as error:
...     print(error.messages[0])  # doctest: +NORMALIZE_WHITESPACE
Enter a valid username. This value may contain only unaccented lowercase a-z and uppercase A-Z letters, numbers,
and @/./+/-/_ characters.
"""

import re

from tinyframe.core import validators
from tinyframe.utils.deconstruct import deconstructible

__all__ = ["ASCIIUsernameValidator", "UnicodeUsernameValidator"]


@deconstructible
class ASCIIUsernameValidator(validators.RegexValidator):
    """A username of unaccented letters, digits and ``@ . + - _``."""

    regex = r"^[\w.@+-]+\Z"
    message = (
        "Enter a valid username. This value may contain only unaccented lowercase a-z "
        "and uppercase A-Z letters, numbers, and @/./+/-/_ characters."
    )
    flags = re.ASCII


@deconstructible
class UnicodeUsernameValidator(validators.RegexValidator):
    """A username of letters in any script, digits and ``@ . + - _``."""

    regex = r"^[\w.@+-]+\Z"
    message = "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters."
    flags = 0
