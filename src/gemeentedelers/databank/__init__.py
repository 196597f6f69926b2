"""The VNG Databank Praktijkvoorbeelden: consenting entries published as open data after the announcement."""
