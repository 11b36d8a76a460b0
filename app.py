"""The Lang Portal API: create_app() builds the Flask app."""
import logging
import os
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask
from flask_cors import CORS

from lib import cli, db
from lib.api import IdConverter
from lib.errors import register_error_handlers
from routes import register_routes

PROJECT_DIR = Path(__file__).resolve().parent
FRONTEND_ORIGINS = ["http://localhost:5173", "http://127.0.0.1:5173", "http://localhost:4173"]


def config_from_env():
    extra_origins = os.environ.get("LANG_PORTAL_CORS_ORIGINS", "")
    return {
        "DATABASE": os.environ.get("LANG_PORTAL_DB", str(PROJECT_DIR / "words.db")),
        "CORS_ORIGINS": [origin.strip() for origin in extra_origins.split(",") if origin.strip()],
    }


def activity_origins(database):
    """The origins of every study activity's URL: activities call the API from there."""
    connection = db.connect(database)
    try:
        urls = [row["url"] for row in connection.execute("SELECT url FROM study_activities")]
    finally:
        connection.close()
    return sorted({"{0.scheme}://{0.netloc}".format(urlsplit(url)) for url in urls})


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.update(config_from_env())
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    if test_config:
        app.config.update(test_config)
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    app.url_map.converters["id"] = IdConverter
    logging.basicConfig(level=logging.INFO)

    seeded = db.open_database(app.config["DATABASE"])
    if seeded:
        app.logger.info("Created a new database at %s: %s", app.config["DATABASE"], seeded)

    db.init_app(app)
    cli.init_app(app)
    register_error_handlers(app)
    register_routes(app)
    CORS(app,
         origins=FRONTEND_ORIGINS + activity_origins(app.config["DATABASE"]) + app.config["CORS_ORIGINS"],
         expose_headers=["Location"], always_send=False)
    return app


if __name__ == "__main__":
    create_app().run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
