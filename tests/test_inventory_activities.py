"""POST /api/study-activities, PATCH and DELETE /api/study-activities/<id>,
and the CORS grant following the activities with no restart."""
import pytest

from helpers import create_session

KANA_MATCH = {"title": "Kana Match", "launch_url": "http://localhost:8081/cards",
              "preview_url": "/kana-match.png", "description": "Flip cards."}
NEW_ORIGIN = "http://localhost:8081"


def stored(db):
    return [tuple(row) for row in db.execute("SELECT * FROM study_activities ORDER BY id")]


def create_activity(client, **fields):
    response = client.post("/api/study-activities", json={**KANA_MATCH, **fields})
    assert response.status_code == 201, response.get_json()
    return response


def cors_grant(client, origin):
    return client.get("/api/words", headers={"Origin": origin}).headers.get(
        "Access-Control-Allow-Origin")


def test_a_new_activity_is_listed_and_launchable(client):
    response = create_activity(client)
    activity = response.get_json()
    assert response.headers["Location"] == f"/api/study-activities/{activity['id']}"
    assert {key: activity[key] for key in KANA_MATCH} == KANA_MATCH
    assert activity in client.get("/api/study-activities").get_json()
    assert client.get(f"/api/study-activities/{activity['id']}/launch").status_code == 200
    session = create_session(client, group_id=1, activity_id=activity["id"])
    assert session["activity_name"] == "Kana Match"


def test_only_title_and_launch_url_are_needed(client):
    activity = client.post("/api/study-activities", json={
        "title": " Kana ", "launch_url": "https://kana.example"}).get_json()
    assert (activity["title"], activity["preview_url"], activity["description"]) == \
        ("Kana", None, "")


@pytest.mark.parametrize("body, status", [
    ({"launch_url": "http://x.example"}, 400),
    ({"title": "x"}, 400),
    ({"title": "  ", "launch_url": "http://x.example"}, 400),
    ({"title": "x", "launch_url": "ftp://x.example"}, 400),
    ({"title": "x", "launch_url": "javascript:alert(1)"}, 400),
    ({"title": "x", "launch_url": "/relative"}, 400),
    ({"title": "x", "launch_url": "http://"}, 400),
    ({"title": "x", "launch_url": "http://x.example:99999"}, 400),
    ({"title": "x", "launch_url": "http://bob:pw@localhost:9000/x"}, 400),
    ({"title": "x", "launch_url": "http://bob@localhost:9000/x"}, 400),
    ({"title": "Typing Tutor", "launch_url": "http://x.example"}, 409),
])
def test_a_refused_activity_stores_nothing(client, db, body, status):
    before = stored(db)
    response = client.post("/api/study-activities", json=body)
    assert response.status_code == status
    if status == 409:
        assert "study activity 1" in response.get_json()["error"]
    assert stored(db) == before


def test_patch_changes_the_fields_named_and_null_clears_the_preview(client):
    response = client.patch("/api/study-activities/1", json={"description": "New.",
                                                             "preview_url": None})
    assert response.status_code == 200
    activity = response.get_json()
    assert (activity["title"], activity["description"], activity["preview_url"]) == \
        ("Typing Tutor", "New.", None)


@pytest.mark.parametrize("activity_id, body, status", [
    (1, {"titel": "x"}, 400), (1, {"title": None}, 400), (1, {"launch_url": "nope"}, 400),
    (99, {"title": "x"}, 404),
])
def test_a_refused_patch_changes_nothing(client, db, activity_id, body, status):
    before = stored(db)
    assert client.patch(f"/api/study-activities/{activity_id}", json=body).status_code == status
    assert stored(db) == before


def test_patch_to_a_taken_title_is_a_conflict(client, db):
    second = create_activity(client).get_json()["id"]
    before = stored(db)
    response = client.patch(f"/api/study-activities/{second}", json={"title": "Typing Tutor"})
    assert response.status_code == 409
    assert stored(db) == before


def test_delete_of_an_activity_with_sessions_is_a_conflict(client, db):
    create_session(client, activity_id=1)
    before = stored(db)
    assert client.delete("/api/study-activities/1").status_code == 409
    assert stored(db) == before
    client.post("/api/study-sessions/reset", json={})
    assert client.delete("/api/study-activities/1").status_code == 204
    assert [activity["title"] for activity in client.get("/api/study-activities").get_json()] == [
        "Flashcards"]


def test_delete_of_a_missing_activity_is_a_404(client):
    assert client.delete("/api/study-activities/99").status_code == 404


def test_cors_follows_the_activities_at_once(client):
    assert cors_grant(client, NEW_ORIGIN) is None
    activity_id = create_activity(client).get_json()["id"]
    assert cors_grant(client, NEW_ORIGIN) == NEW_ORIGIN
    # Moved elsewhere: the old origin goes, the new one comes.
    client.patch(f"/api/study-activities/{activity_id}",
                 json={"launch_url": "https://cards.example/play"})
    assert cors_grant(client, NEW_ORIGIN) is None
    assert cors_grant(client, "https://cards.example") == "https://cards.example"
    client.delete(f"/api/study-activities/{activity_id}")
    assert cors_grant(client, "https://cards.example") is None


def test_an_origin_two_activities_share_stays_until_the_last_goes(client):
    first = create_activity(client).get_json()["id"]
    second = create_activity(client, title="Quiz", launch_url=f"{NEW_ORIGIN}/quiz").get_json()["id"]
    client.delete(f"/api/study-activities/{first}")
    assert cors_grant(client, NEW_ORIGIN) == NEW_ORIGIN
    client.delete(f"/api/study-activities/{second}")
    assert cors_grant(client, NEW_ORIGIN) is None


@pytest.mark.parametrize("launch_url, origin", [
    ("http://LOCALHOST:80/play", "http://localhost"),
    ("https://localhost:443/", "https://localhost"),
    ("http://[::1]:8082/", "http://[::1]:8082"),
    ("HTTP://Cards.Example:8080", "http://cards.example:8080"),
    ("http://例え.jp/", "http://xn--r8jz45g.jp"),
    ("http://127.1:9001/x", "http://127.0.0.1:9001"),
    ("http://0x7f.0.0.1:9001/", "http://127.0.0.1:9001"),
    ("http://local%68ost:9002", "http://localhost:9002"),
    # Browsers read host names by UTS-46 (ß and ς are letters of their own,
    # not ss and σ) and write an IPv6 address compressed: each origin below
    # is the one Chromium gives as new URL(launch_url).origin.
    ("http://faß.de:9009/", "http://xn--fa-hia.de:9009"),
    ("http://ς.gr", "http://xn--3xa.gr"),
    ("http://[0:0:0:0:0:0:0:1]:9006/", "http://[::1]:9006"),
    ("http://[::FFFF:127.0.0.1]/", "http://[::ffff:7f00:1]"),
    ("http://☃.com/", "http://xn--n3h.com"),
])
def test_an_activity_s_origin_is_the_one_browsers_send(client, launch_url, origin):
    create_activity(client, launch_url=launch_url)
    assert cors_grant(client, origin) == origin


@pytest.mark.parametrize("launch_url, not_its_origin", [
    ("http://faß.de:9009/", "http://fass.de:9009"),
    ("http://ς.gr", "http://xn--4xa.gr"),  # σ.gr
    ("http://[0:0:0:0:0:0:0:1]:9006/", "http://[0:0:0:0:0:0:0:1]:9006"),
])
def test_an_activity_grants_no_origin_but_the_one_browsers_send(client, launch_url,
                                                                 not_its_origin):
    create_activity(client, launch_url=launch_url)
    assert cors_grant(client, not_its_origin) is None


# URLs no browser opens (Chromium's new URL() throws on each): a host that is
# no IPv6 address in brackets, one with a colon or NUL percent-encoded in it,
# an IPv4 address out of range.
UNOPENABLE_URLS = ["http://[v1.evil.example]:8443/", "http://evil.example%3a9014/",
                   "http://ex%00ample.com/", "http://256.256.256.256/", "http://1.2.3.4.5/",
                   "http://exa%2fmple.com/"]
ORIGINS_THEY_COULD_BE_TAKEN_FOR = [
    "http://v1.evil.example:8443", "http://evil.example:9014", "http://evil.example",
    "http://ex%00ample.com", "http://ex\x00ample.com", "http://256.256.256.256", "http://1.2.3.4.5",
    "http://exa/mple.com"]


@pytest.mark.parametrize("launch_url", UNOPENABLE_URLS)
def test_a_url_no_browser_opens_is_refused_naming_launch_url(client, db, launch_url):
    before = stored(db)
    for response in (client.post("/api/study-activities", json={**KANA_MATCH, "launch_url": launch_url}),
                     client.patch("/api/study-activities/1", json={"launch_url": launch_url})):
        assert response.status_code == 400
        assert response.get_json()["error"] == \
            "Invalid request: launch_url: has a host no browser can open"
        assert response.get_json()["details"][0]["field"] == "launch_url"
    assert stored(db) == before


@pytest.mark.parametrize("launch_url", UNOPENABLE_URLS)
def test_a_url_no_browser_opens_stored_before_grants_nothing(client, db, launch_url):
    db.execute("INSERT INTO study_activities (name, url) VALUES ('Stored before', ?)",
               (launch_url,))
    db.commit()
    for origin in ORIGINS_THEY_COULD_BE_TAKEN_FOR:
        assert cors_grant(client, origin) is None, origin


def test_a_url_stored_before_grants_the_origin_browsers_send(client, db):
    db.execute("INSERT INTO study_activities (name, url) VALUES ('Stored before', ?)",
               ("http://faß.de:9009/play",))
    db.commit()
    assert cors_grant(client, "http://xn--fa-hia.de:9009") == "http://xn--fa-hia.de:9009"
    assert cors_grant(client, "http://fass.de:9009") is None


def test_a_user_name_in_a_stored_url_is_no_part_of_its_origin(client, db):
    db.execute("INSERT INTO study_activities (name, url) "
               "VALUES ('Old', 'http://player:secret@localhost:8081/cards')")
    db.commit()
    assert cors_grant(client, "http://localhost:8081") == "http://localhost:8081"


def test_an_activity_url_without_a_host_stored_by_hand_grants_nothing(client, db):
    db.execute("INSERT INTO study_activities (name, url) VALUES ('Typed in', 'http://:8080')")
    db.commit()
    response = client.get("/api/words", headers={"Origin": "http://localhost:8080"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "http://localhost:8080"
    assert cors_grant(client, "http://localhost") is None


def test_preflight_for_an_inventory_write_allows_the_token_header(client):
    response = client.options("/api/words", headers={
        "Origin": "http://localhost:5173", "Access-Control-Request-Method": "PATCH",
        "Access-Control-Request-Headers": "authorization, content-type"})
    assert response.status_code == 204
    assert "PATCH" in response.headers["Access-Control-Allow-Methods"]
    assert "authorization" in response.headers["Access-Control-Allow-Headers"]


def test_no_cors_headers_without_an_origin(client):
    response = client.get("/api/words")
    assert not [name for name in response.headers.keys() if name.startswith("Access-Control")]
