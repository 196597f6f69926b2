"""GemeenteDelers: VNG's yearly competition in which municipalities share proven service innovations.

The core package every Cloud Function imports: records, schemas, Firestore access, Pub/Sub events, the
edition facade over the plugin system, and the local cloud used for development and tests.
"""

__version__ = "0.2.0.dev0"
"""The one definition of the version: pyproject reads it, bundles and ``/healthz`` report it (CHANGELOG.md)."""
