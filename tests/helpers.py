"""Small helpers the test modules share."""


def count_rows(connection, table):
    return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def create_session(client, group_id=1, activity_id=1, **fields):
    response = client.post("/api/study-sessions",
                           json={"group_id": group_id, "study_activity_id": activity_id, **fields})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def post_reviews(client, session_id, reviews):
    """reviews: [(word_id, is_correct), ...]"""
    response = client.post(f"/api/study-sessions/{session_id}/review",
                           json={"reviews": [{"word_id": word_id, "is_correct": correct}
                                             for word_id, correct in reviews]})
    assert response.status_code == 201, response.get_json()
    return response.get_json()
