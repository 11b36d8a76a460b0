-- Schema version 6: a word's parts stored as compact JSON (no spaces, as
-- json() writes it), so that answers put the stored text in as it is
-- instead of calling json() on every row they read.
UPDATE words SET parts = json(parts) WHERE parts <> json(parts);
