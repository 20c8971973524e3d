"""The message levels: numbers, so that levels compare, and the names templates and CSS use for them.

A level is an integer as in ``logging`` (and with the same values for DEBUG,
INFO, WARNING and ERROR), plus SUCCESS between INFO and WARNING. A storage
records a message only when its level is at least ``MESSAGE_LEVEL`` (INFO by
default, so ``messages.debug`` notes are dropped unless a project asks for
them). ``DEFAULT_TAGS`` gives each level the word a template prints in a
``class=`` attribute; ``MESSAGE_TAGS`` overrides or extends it.
``DEFAULT_LEVELS`` gives templates the numbers by name, through the context
processor: ``{% if message.level == DEFAULT_MESSAGE_LEVELS.ERROR %}``.

    >>> DEBUG < INFO < SUCCESS < WARNING < ERROR
    True
    >>> DEFAULT_TAGS[SUCCESS], DEFAULT_LEVELS["ERROR"]
    ('success', 40)
"""

DEBUG = 10
INFO = 20
SUCCESS = 25
WARNING = 30
ERROR = 40

DEFAULT_TAGS = {
    DEBUG: "debug",
    INFO: "info",
    SUCCESS: "success",
    WARNING: "warning",
    ERROR: "error",
}

DEFAULT_LEVELS = {
    "DEBUG": DEBUG,
    "INFO": INFO,
    "SUCCESS": SUCCESS,
    "WARNING": WARNING,
    "ERROR": ERROR,
}
