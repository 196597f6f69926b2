"""The local cloud: real emulators, functions-framework processes, push subscriptions and an SMTP sink."""
