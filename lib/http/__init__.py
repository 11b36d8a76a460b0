"""HTTP: the route decorator, request rules, CORS, conditional GET, models and OpenAPI."""
