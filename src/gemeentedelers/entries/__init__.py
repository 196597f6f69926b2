"""Registrations and what follows from them: the registration schema, stored submissions, round rosters,
feedback announcements and the definition of contact data in free text."""
