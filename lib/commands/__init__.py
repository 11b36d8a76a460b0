"""The flask commands, demo data, and opening or upgrading the database."""
