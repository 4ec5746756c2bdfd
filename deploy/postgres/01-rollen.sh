#!/bin/sh
# The two PostgreSQL roles of docker-compose.yml, neither a superuser: the ETL's, which runs
# the migrations and so owns every table, and the app's, which `python -m etl migrate
# --app-rol` then gives its rights table by table (etl/rechten.py).
#
# The db service runs this once, as POSTGRES_USER, when it creates its data volume
# (mounted into /docker-entrypoint-initdb.d). For a volume made before the roles existed run
# it by hand: docker compose exec db sh /docker-entrypoint-initdb.d/01-rollen.sh
# Every step may run again: existing roles get their password set, tables made by the
# superuser are handed to the ETL's role.
set -eu
psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet \
    --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v db="$POSTGRES_DB" \
    -v etl_rol="${CASELOAD_ETL_DB_USER:-caseload_etl}" \
    -v etl_wachtwoord="$CASELOAD_ETL_DB_PASSWORD" \
    -v app_rol="${CASELOAD_APP_DB_USER:-caseload_app}" \
    -v app_wachtwoord="$CASELOAD_APP_DB_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I', :'etl_rol')
    WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'etl_rol') \gexec
SELECT format('CREATE ROLE %I', :'app_rol')
    WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app_rol') \gexec
ALTER ROLE :"etl_rol" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
    PASSWORD :'etl_wachtwoord';
ALTER ROLE :"app_rol" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
    PASSWORD :'app_wachtwoord';
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"db" TO :"etl_rol", :"app_rol";
GRANT USAGE, CREATE ON SCHEMA public TO :"etl_rol";
GRANT USAGE ON SCHEMA public TO :"app_rol";
SELECT format('ALTER TABLE public.%I OWNER TO %I', tablename, :'etl_rol')
    FROM pg_tables WHERE schemaname = 'public' AND tableowner <> :'etl_rol' \gexec
SQL
