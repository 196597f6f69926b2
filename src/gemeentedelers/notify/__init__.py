"""Notify: every mail people receive, sent once per event however often Pub/Sub delivers it."""
