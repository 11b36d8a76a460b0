"""The yardstick: a bare Flask app answering a constant JSON, served the same way."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def constant():
    return {"status": "ok"}
