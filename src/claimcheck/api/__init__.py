"""HTTP adapter: FastAPI app factory, routes, problem+json errors."""
