# One image for the dashboard (gunicorn), the migrations and the nightly ETL; see docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY requirements.txt requirements.lock ./
RUN pip install -r requirements.txt

COPY app.py gunicorn.conf.py ./
COPY assets/ assets/
COPY dashboard/ dashboard/
COPY queries/ queries/
COPY etl/ etl/
COPY store/ store/

# Never run as root; data/ is only written by the embedded SQLite demo, not in production.
RUN useradd --system --uid 10001 --home-dir /app caseload \
    && mkdir -p /app/data && chown caseload /app/data
USER caseload

EXPOSE 8050
CMD ["gunicorn", "--workers", "4", "--bind", "0.0.0.0:8050", "app:server"]
