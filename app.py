"""The Lang Portal API: create_app() builds the Flask app."""
import logging
import os
from pathlib import Path

import click
from flask import Flask

from lib.base.errors import register_error_handlers
from lib.base.jsonio import OrjsonProvider
from lib.commands import cli, migrations, optimize
from lib.http import conditional, cors
from lib.http import requests as web
from lib.http.devserver import DevRequestHandler
from lib.http.route import IdConverter, LazyRule, admin_token_setting
from lib.scheduler import scheduling
from lib.store import db
from routes import register_routes

PROJECT_DIR = Path(__file__).resolve().parent
FRONTEND_ORIGINS = ["http://localhost:5173", "http://127.0.0.1:5173", "http://localhost:4173"]


def env_list(name):
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def config_from_env():
    """Each setting is checked by the module it belongs to: a bad value is a
    ValueError naming its variable, which stops the start."""
    database = os.environ.get("LANG_PORTAL_DB", str(PROJECT_DIR / "words.db"))
    return {
        "DATABASE": migrations.database_setting(database),
        "CORS_ORIGINS": [cors.origin_setting(origin) for origin in env_list("LANG_PORTAL_CORS_ORIGINS")],
        "HOSTS": [web.host_setting(name) for name in env_list("LANG_PORTAL_HOSTS")],
        **scheduling.settings_from_env(),
        "ADMIN_TOKEN": admin_token_setting(os.environ.get("LANG_PORTAL_ADMIN_TOKEN")),
    }


def port_setting(text):
    """PORT, for `python app.py` only (gunicorn has its own -b): a port from
    1 to 65535 in ASCII digits. int() alone took '99999' (the server then
    listened on it modulo 65536), '0' (a random port) and '٥٠٠٠'."""
    text = text.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 5 and 1 <= int(text) <= 65535):
        raise ValueError(f"PORT must be a whole number from 1 to 65535, not {text!r}")
    return int(text)


def loaded_by_a_command():
    """True when `flask` loads the app for any command but `run`: each of our
    commands opens the database itself, and only init-db may create one;
    flask's own (routes, shell) need none."""
    context = click.get_current_context(silent=True)
    return context is not None and context.command.name != "run"


def create_app(test_config=None):
    app = Flask(__name__, static_folder=None)  # no /static route: the docs serve their own files
    app.config.update(config_from_env())
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    if test_config:
        app.config.update(test_config)
        scheduling.check_settings(app.config)
    app.json = OrjsonProvider(app)
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    app.url_map.converters["id"] = IdConverter
    app.url_rule_class = LazyRule
    # '/api//words' is an unknown route, not a redirect built from the Host header.
    app.url_map.merge_slashes = False
    logging.basicConfig(level=logging.INFO)

    serving = not loaded_by_a_command()
    if serving:
        opened = migrations.open_database(app.config["DATABASE"])
        if opened:
            app.logger.info("Database %s: %s", app.config["DATABASE"], opened)

    db.init_app(app)
    cli.init_app(app)
    optimize.init_app(app)
    web.init_app(app)
    conditional.init_app(app)
    register_error_handlers(app)
    register_routes(app)
    cors.init_app(app, FRONTEND_ORIGINS + app.config["CORS_ORIGINS"], read_now=serving)
    return app


if __name__ == "__main__":
    port = port_setting(os.environ.get("PORT", "5000"))  # checked before the database is opened
    create_app().run(host="127.0.0.1", port=port, request_handler=DevRequestHandler)
