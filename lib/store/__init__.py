"""The database: connections and transactions, checkpoints, counters, sort copies and paging."""
