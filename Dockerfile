# Truce Explorer: the same steps as `make run` (migrate, import seeds/, serve), on 0.0.0.0:8000.
# Run it with BASE_URL set to the public origin (e.g. -e BASE_URL=https://truce.example.org): every
# absolute link is made from it, and only its host (plus localhost for the health check) is served.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATABASE_URL=sqlite:////app/data/truce.db \
    HOST=0.0.0.0 \
    PORT=8000 \
    BASE_URL=http://localhost:8000

WORKDIR /app
RUN useradd --create-home --uid 10001 truce

COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
# The interface catalogs (app/locales/*/messages.po) are compiled here, as `make setup` does.
RUN pip install --no-cache-dir -e . && pybabel compile -d app/locales -D messages

COPY migrations ./migrations
COPY templates ./templates
COPY static ./static
COPY seeds ./seeds
RUN mkdir -p /app/data && chown truce:truce /app/data

USER 10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import os, sys, urllib.request; port = os.environ.get('PORT', '8000'); sys.exit(0 if urllib.request.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=4).status == 200 else 1)"]
# One uvicorn worker per CPU unless WORKERS is set (each worker keeps its own response cache).
CMD ["sh", "-c", "truce migrate && truce import seeds && exec truce serve --host \"$HOST\" --port \"$PORT\" --workers \"${WORKERS:-$(nproc)}\""]
