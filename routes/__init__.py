"""Each module is one resource; its blueprint carries both path families."""
from routes import (
    activities,
    dashboard,
    docs,
    groups,
    health,
    reviews,
    scheduler,
    study_activities,
    study_queue,
    study_sessions,
    words,
)


def register_routes(app):
    for module in (words, groups, study_activities, study_sessions, reviews, study_queue, dashboard,
                   health, scheduler, docs, activities):
        app.register_blueprint(module.bp)
