"""The JSON API: FastAPI app factory, routes, schemas, problem+json errors, exports.

The desk's HTML pages are in ``claimcheck.web``; ``app.py`` alone imports them, to install them.
"""
