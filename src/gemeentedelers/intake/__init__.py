"""Intake of registrations posted by form tools: signature checks and payload normalisation."""
