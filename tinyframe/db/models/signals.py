"""The signals a model sends around its life: made, saved, deleted, its class ready.

How it works: each is a plain ``tinyframe.dispatch.Signal`` sent with the model
class as ``sender``, so ``post_save.connect(receiver, sender=Book)`` hears only
books. ``Model.__init__`` sends ``pre_init`` and ``post_init``,
``Model.save_base`` sends ``pre_save`` and ``post_save`` (with ``created``),
``deletion.delete_objects`` sends ``pre_delete`` and ``post_delete`` for every
object, and the metaclass sends ``class_prepared`` once a model class is
complete. They cache their receivers per sender: they are sent for every row.
"""

from tinyframe.dispatch import Signal

__all__ = ["class_prepared", "post_delete", "post_init", "post_save", "pre_delete", "pre_init", "pre_save"]

class_prepared = Signal()
pre_init = Signal(use_caching=True)
post_init = Signal(use_caching=True)
pre_save = Signal(use_caching=True)
post_save = Signal(use_caching=True)
pre_delete = Signal(use_caching=True)
post_delete = Signal(use_caching=True)
# >>> 07_relations
# Sent by a many-to-many manager around add, remove and clear: action "pre_add", "post_add",
# "pre_remove", "post_remove", "pre_clear" or "post_clear", with instance, reverse, model,
# pk_set (None for a clear) and using; the sender is the through model.
m2m_changed = Signal(use_caching=True)
__all__ += ["m2m_changed"]
# <<< 07_relations
# >>> 08_migrations
# Sent by migrate before and after it changes the schema, once per installed app that has a
# models module, with the AppConfig as sender and app_config, verbosity, interactive, using,
# plan and apps (the project's models as the migrations left them, before or after).
pre_migrate = Signal()
post_migrate = Signal()
__all__ += ["post_migrate", "pre_migrate"]
# <<< 08_migrations
