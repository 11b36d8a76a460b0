"""Renaming a group or a study activity. Each session keeps a copy of both
names (study_sessions.group_name, activity_name) so that session lists sort by
name through an index; every rename goes through rename(), which changes the
copies in the same transaction. sql/recount.sql rebuilds them, and the tests
check after every test that they agree."""

# kind -> (table, the sessions' column pointing to it, the sessions' copy of its name)
NAMED = {
    "group": ("groups", "group_id", "group_name"),
    "activity": ("study_activities", "study_activity_id", "activity_name"),
}


def rename(db, kind, item_id, name):
    """Renames the group or activity item_id, inside the caller's transaction.
    Returns False when there is no such item."""
    table, foreign_key, copy = NAMED[kind]
    if not db.execute(f"UPDATE {table} SET name = ? WHERE id = ?", (name, item_id)).rowcount:
        return False
    db.execute(f"UPDATE study_sessions SET {copy} = ? WHERE {foreign_key} = ?", (name, item_id))
    return True
