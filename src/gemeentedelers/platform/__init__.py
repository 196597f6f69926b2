"""The platform every service stands on: settings, Firestore, the event catalogue and bus, the consumer, the
Firestore layout."""
