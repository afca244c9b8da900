-- Several clusters: every record belongs to one. Rows written before clusters were known belong to the home
-- cluster (osiris.cluster.name when this migration ran). The cluster closes every sort key, so that lists keep
-- their order and a build of one namespace and name sorts next to its namesakes in the other clusters.
ALTER TABLE build_records ADD COLUMN cluster VARCHAR(63) NOT NULL DEFAULT '${homeCluster}';
ALTER TABLE build_labels ADD COLUMN cluster VARCHAR(63) NOT NULL DEFAULT '${homeCluster}';

DROP INDEX build_records_key;
DROP INDEX build_records_phase;
DROP INDEX build_labels_lookup;
DROP INDEX build_records_newest;
DROP INDEX build_records_newest_in_namespace;
CREATE UNIQUE INDEX build_records_key ON build_records (namespace, name, uid, cluster);
CREATE INDEX build_records_phase ON build_records (phase, namespace, name, uid, cluster);
CREATE INDEX build_labels_lookup ON build_labels (label_key, label_value, namespace, name, uid, cluster);
CREATE INDEX build_records_newest ON build_records (started_at, namespace, name, uid, cluster);
CREATE INDEX build_records_newest_in_namespace ON build_records (namespace, started_at, name, uid, cluster);
