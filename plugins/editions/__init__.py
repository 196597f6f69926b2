"""The editions shipped with the core. Each module is one year's rules, registered as an entry point."""
