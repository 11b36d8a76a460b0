from pathlib import Path

from app import create_app


def test_health_answers_ok_when_the_database_answers(client):
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_health_answers_503_when_the_database_does_not(tmp_path):
    path = tmp_path / "broken.db"
    app = create_app({"TESTING": True, "DATABASE": str(path)})
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.write_bytes(b"this is not an SQLite database" * 100)

    response = app.test_client().get("/api/health")
    assert response.status_code == 503
    assert response.get_json() == {"error": "Database unavailable"}
