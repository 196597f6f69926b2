"""The edition plugin system: hook specifications, default rules and the editions themselves.

Imported as ``gemeentedelers.plugins``. Plugin authors need only ``gemeentedelers.plugins.api``.
"""
