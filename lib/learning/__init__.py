"""The learning record: sessions and reviews, the study queue, the dashboard."""
