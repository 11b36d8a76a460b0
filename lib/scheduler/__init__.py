"""FSRS: the scheduling settings, each word's card, and the replay that rebuilds cards."""
