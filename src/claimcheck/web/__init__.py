"""The desk: server-rendered HTML pages for people, over the same service layer as the JSON API.

``pages.py`` holds the routes (``pages.install(app)``, called where ``api/app.py`` assembles the
app), ``views.py`` the plain values the templates show, ``highlight.py`` where highlighted text
is cut; ``templates/`` and ``static/`` are the pages' Jinja2 templates and their CSS and script.
Imports go one way: this package uses the API's shared pieces (``api.problems``, ``api.schemas``,
``api.verifying``, ``api.weblinks``); ``api/`` imports nothing from here but in ``app.py``.
"""
