"""A group: its SELECTs, sort whitelist and JSON shape."""
from lib.base.errors import not_found
from lib.store.pagination import fetch_page, list_query

GROUP_SORT = {
    "name": ("g.name", "g.id"),
    "words_count": ("g.words_count", "g.id"),
    "word_count": ("g.words_count", "g.id"),
}
GroupListQuery = list_query("GroupListQuery", GROUP_SORT, "name")


def group_json(row):
    return {
        "id": row["id"],
        "name": row["name"],
        "group_name": row["name"],
        "words_count": row["words_count"],
        "word_count": row["words_count"],
    }

def find_group(db, group_id):
    row = db.execute("SELECT * FROM groups WHERE id = ?", (group_id,)).fetchone()
    if row is None:
        raise not_found("Group", group_id)
    return row


def group_page(db, query):
    """(one page of the groups as JSON, how many groups there are)."""
    total = db.execute("SELECT count(*) FROM groups").fetchone()[0]
    rows = fetch_page(db, "SELECT * FROM groups g", {}, GROUP_SORT[query.sort_by], query, total)
    return [group_json(row) for row in rows], total


def all_groups(db):
    """Every group by name, as the launch page lists them."""
    return [group_json(row) for row in db.execute("SELECT * FROM groups ORDER BY name")]
