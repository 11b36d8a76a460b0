"""Every error leaves the API as JSON: {"error": "..."} with the right status."""
import logging
import sqlite3

from flask import jsonify, request
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound, RequestEntityTooLarge

log = logging.getLogger(__name__)
# A database that cannot take a write now, by SQLite's primary result code:
# the server's trouble, not the client's, and one an operator can mend.
UNWRITABLE = {sqlite3.SQLITE_FULL: "its disk is full",
              sqlite3.SQLITE_READONLY: "its file cannot be written",
              sqlite3.SQLITE_IOERR: "its disk failed"}


class ApiError(Exception):
    def __init__(self, status, message, details=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details
        self.headers = {}


def not_found(kind, item_id):
    return ApiError(404, f"{kind} with id {item_id} not found")


def conflict(message):
    return ApiError(409, message)


def invalid(field, message):
    """A 400 shaped like a validation error, for a check that needs the database."""
    return ApiError(400, f"Invalid request: {field}: {message}",
                    details=[{"field": field, "message": message}])


def error_response(status, message, **extra):
    response = jsonify(error=message, **extra)
    response.status_code = status
    return response


def describe(error):
    """One pydantic error as {"field": "group_id", "message": "..."}."""
    field = ".".join(str(part) for part in error["loc"]) or "body"
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "json_invalid":
        field, message = "body", "is not valid JSON (in UTF-8)"
    elif error["type"] == "model_type":
        message = "must be a JSON object"
    return {"field": field, "message": message}


def register_error_handlers(app):
    @app.errorhandler(ApiError)
    def api_error(error):
        if error.details:
            response = error_response(error.status, error.message, details=error.details)
        else:
            response = error_response(error.status, error.message)
        response.headers.update(error.headers)
        return response

    @app.errorhandler(ValidationError)
    def validation_error(error):
        details = [describe(e) for e in error.errors(include_url=False, include_input=False)]
        summary = "; ".join(f"{d['field']}: {d['message']}" for d in details)
        return error_response(400, f"Invalid request: {summary}", details=details)

    @app.errorhandler(NotFound)
    def no_route(error):
        return error_response(404, f"No such route: {request.path}")

    @app.errorhandler(MethodNotAllowed)
    def wrong_method(error):
        allowed = ", ".join(sorted(set(error.valid_methods or ()) - {"HEAD", "OPTIONS"}))
        response = error_response(405, f"{request.method} is not allowed on {request.path}; use {allowed}")
        response.headers["Allow"] = ", ".join(sorted(error.valid_methods or ()))
        return response

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error):
        limit = app.config["MAX_CONTENT_LENGTH"] // 1024 // 1024
        return error_response(413, f"The body is larger than {limit} MiB")

    @app.errorhandler(HTTPException)
    def http_error(error):
        return error_response(error.code, error.description)

    @app.errorhandler(sqlite3.OperationalError)
    def database_error(error):
        reason = UNWRITABLE.get(getattr(error, "sqlite_errorcode", 0) & 0xFF)
        if reason is None:
            return unexpected_error(error)
        log.error("The database could not be written: %s", error)
        return error_response(503, f"Database unavailable: {reason}; nothing was stored")

    @app.errorhandler(Exception)
    def unexpected_error(error):
        log.exception("Unhandled error")
        return error_response(500, "Internal server error")
