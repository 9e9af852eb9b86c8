# Tadrib production image: a builder stage makes the virtualenv, the runtime stage runs it
# as a non-root user under gunicorn.
#
#   docker build -t tadrib .
#
# Release step, once per deploy, before new web containers take traffic, with the same
# environment and data volume as the web containers. It is not part of CMD: every replica
# would otherwise migrate at start-up, racing the others. It is idempotent.
#
#   docker run --rm --env-file tadrib.env -v tadrib-data:/data tadrib \
#       sh -c 'python manage.py migrate --noinput && python manage.py setup_site'
#
# Serve (DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS are required; DATABASE_URL, REDIS_URL
# optional; without DATABASE_URL the SQLite database lives in /data, as do uploaded media):
#
#   docker run -d -p 8000:8000 --env-file tadrib.env -v tadrib-data:/data tadrib
#
# Background worker (the database queue, with its periodic loop), as its own container from the
# same image and environment; the CMD alternative for a worker-only image is
#   CMD ["python", "manage.py", "tasks_worker"]
#
#   docker run -d --env-file tadrib.env -v tadrib-data:/data tadrib python manage.py tasks_worker
#
# Scale-out (CELERY_BROKER_URL=redis://… or amqp://… in tadrib.env): Celery workers on any
# number of machines, and the periodic loop (safe to run more than once):
#
#   docker run -d --env-file tadrib.env tadrib celery -A tasks.celery_backend worker --queues default
#   docker run -d --env-file tadrib.env tadrib python manage.py tasks_scheduler
#
# scripts/docker-smoke.sh builds this image and runs both steps without a Docker engine.

FROM python:3.11-slim-bookworm AS builder

# Only for hosts whose pip needs them (a private index, a TLS-inspecting proxy's CA bundle).
# They stay in this stage: nothing from it but /opt/venv and /app reaches the final image.
ARG PIP_INDEX_URL
ARG PIP_CERT

RUN python -m venv /opt/venv
COPY requirements.txt /tmp/requirements.txt
RUN /opt/venv/bin/pip install --no-cache-dir --disable-pip-version-check \
        --requirement /tmp/requirements.txt

ENV PYTHONDONTWRITEBYTECODE=1 \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=cms.settings.production
WORKDIR /app
COPY . .
# Production settings refuse to load without a secret key and allowed hosts; these throwaway
# values exist for this RUN only, in a stage whose environment the final image does not inherit.
RUN export DJANGO_SECRET_KEY=build-time-only-not-a-secret DJANGO_ALLOWED_HOSTS=build.invalid \
    && python manage.py compile_translations \
    && python manage.py collectstatic --noinput --verbosity 0


FROM python:3.11-slim-bookworm

# Gunicorn reads WEB_CONCURRENCY as its worker count: 3 suits a 2-core host.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=cms.settings.production \
    TADRIB_DATA_DIR=/data \
    WEB_CONCURRENCY=3

# Certificates: WeasyPrint needs Debian's pango (Arabic shaping through HarfBuzz) and the
# Amiri font, which covers Arabic, French and English. Versions follow the base image's
# Debian release, which is what receives security updates.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-hosny-amiri \
    && rm -rf /var/lib/apt/lists/*

# A fixed numeric UID lets orchestrators verify runAsNonRoot and lets volumes be chowned
# ahead of time. /data (SQLite database, media) is the only place the app writes.
RUN groupadd --gid 10001 tadrib \
    && useradd --no-log-init --no-create-home --uid 10001 --gid tadrib \
        --home-dir /app --shell /usr/sbin/nologin tadrib \
    && install --directory --owner=tadrib --group=tadrib --mode=0750 /data

COPY --from=builder /opt/venv /opt/venv

LABEL org.opencontainers.image.title="Tadrib" \
      tadrib.release-command="python manage.py migrate --noinput && python manage.py setup_site"

# Slim images have no curl; the standard library is enough.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).read() != b'ok')"]

EXPOSE 8000
WORKDIR /app
USER 10001:10001
# No gunicornc control socket: its default place is under $HOME (/app, read-only here), and
# the orchestrator, not a shell inside the container, restarts and scales the workers.
CMD ["gunicorn", "cms.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-", \
     "--no-control-socket"]

# The application comes last, so a code change rebuilds this one layer. COPY leaves it owned
# by root: the app user can read it but cannot modify it.
COPY --from=builder /app /app
