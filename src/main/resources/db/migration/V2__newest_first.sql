-- Lists sorted newest first (GET /builds?order=newest, the web UI): the start time leads the sort key.
CREATE INDEX build_records_newest ON build_records (started_at, namespace, name, uid);
CREATE INDEX build_records_newest_in_namespace ON build_records (namespace, started_at, name, uid);
