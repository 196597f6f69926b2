"""The organisers' console: one navigation across the rounds on their hosts, the edition's timeline, progress
with people, the audit trail, the organisers themselves and the exports.

The console's own pages are served by every host with organiser pages (scoring, assessment, jury), so moving
between them never changes host; a round's page lives on its service's host and is reached through a single-use
hand-over (``web.sessions.handover_start``). ``navigation.NAV`` is the one list of places; other rooms add theirs
with ``navigation.register``.
"""
