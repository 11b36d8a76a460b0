"""The read side: each resource's SELECTs, sort whitelists and JSON shapes."""
