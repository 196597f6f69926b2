"""The web layer: routing and JSON answers, HTML pages, personal links and sessions, the text catalogue,
refusals people can read, dates and languages."""
