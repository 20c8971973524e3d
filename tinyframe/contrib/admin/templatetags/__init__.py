"""The admin's template tag libraries: ``admin_list``, ``admin_modify``, ``admin_urls``."""
