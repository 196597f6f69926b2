"""People an organiser invites or who sign up: reading them from CSV files."""
