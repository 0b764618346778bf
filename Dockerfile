# claimcheck: the REST service on the seed articles, as in the README's quick start.
FROM python:3.11-slim

RUN useradd --create-home --uid 10001 claimcheck
WORKDIR /app
COPY --chown=claimcheck:claimcheck . /app
USER claimcheck

# The README's install step, unchanged.
RUN python3 -m venv .venv && .venv/bin/pip install -e .

# The index lives in /app/data; the seeds are ingested at build time, so the first start is fast.
ENV CLAIMCHECK_DB=/app/data/claimcheck.sqlite3
RUN .venv/bin/claimcheck ingest seeds/

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD [".venv/bin/python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=3).status != 200)"]

# The README's start command, bound to all interfaces inside the container.
CMD [".venv/bin/claimcheck", "serve", "--host", "0.0.0.0", "--port", "8000"]
