"""Shared basics every layer uses: errors, JSON, time, text rules and field types."""
