package io.osiris.records.jdbc;

import io.osiris.records.BuildQuery;
import java.util.ArrayList;
import java.util.List;

/**
 * The one SQL statement of a list query. The sort key (namespace, name, uid, cluster) is compared as a row together with the
 * equality filters that lead an index, so that every page is one index range scan:
 * a label walks {@code build_labels_lookup}, a phase {@code build_records_phase}, a namespace the unique key.
 * Newest first, the key is (started_at, namespace, name, uid, cluster), walked backwards. A cluster filters within
 * the range (there are few clusters).
 */
final class ListStatement {

    final String sql;
    final List<Object> parameters = new ArrayList<>();

    ListStatement(BuildQuery query, ListCursor after) {
        boolean byLabel = query.label() != null;
        // the table whose index gives the order: labels for a label query, else the records
        String keyed = byLabel ? "l" : "b";
        StringBuilder sql = new StringBuilder("SELECT b.cluster, b.record FROM build_records b");
        List<String> leading = new ArrayList<>();
        List<Object> leadingValues = new ArrayList<>();
        List<String> where = new ArrayList<>();
        if (byLabel) {
            sql.append(" JOIN build_labels l ON l.build_id = b.id");
            leading.add("l.label_key");
            leadingValues.add(query.label().key());
            leading.add("l.label_value");
            leadingValues.add(query.label().value());
            if (query.phase() != null) {
                where.add("b.phase = ?");
                parameters.add(query.phase().name());
            }
        } else if (query.phase() != null) {
            leading.add("b.phase");
            leadingValues.add(query.phase().name());
        }
        for (int i = 0; i < leading.size(); i++) {
            where.add(i, leading.get(i) + " = ?");
            parameters.add(i, leadingValues.get(i));
        }
        if (query.namespace() != null) {
            where.add(keyed + ".namespace = ?");
            parameters.add(query.namespace());
        }
        if (query.cluster() != null) {
            where.add(keyed + ".cluster = ?");
            parameters.add(query.cluster());
        }
        if (query.namePrefix() != null) {
            // the lower bound lets the index start at the prefix; LIKE keeps exactly the names that start with it
            where.add(keyed + ".name >= ? AND " + keyed + ".name LIKE ?");
            parameters.add(query.namePrefix());
            parameters.add(query.namePrefix() + "%"); // names hold no '%' or '_' that LIKE would read as wildcards
        }
        if (query.since() != null) {
            where.add("b.started_at >= ?");
            parameters.add(RecordColumns.time(query.since()));
        }
        if (query.until() != null) {
            where.add("b.started_at < ?");
            parameters.add(RecordColumns.time(query.until()));
        }
        String order;
        if (query.newestFirst()) {
            // newest first: the start time leads the key, the row's own columns (indexes build_records_newest*)
            if (after != null) {
                where.add("(b.started_at, b.namespace, b.name, b.uid, b.cluster) < (?, ?, ?, ?, ?)");
                parameters.add(RecordColumns.time(after.startedAt()));
                parameters.add(after.namespace());
                parameters.add(after.name());
                parameters.add(after.uid());
                parameters.add(after.cluster());
            }
            order = "b.started_at DESC, b.namespace DESC, b.name DESC, b.uid DESC, b.cluster DESC";
        } else {
            String sortKey = keyed + ".namespace, " + keyed + ".name, " + keyed + ".uid, " + keyed + ".cluster";
            List<String> columns = new ArrayList<>(leading);
            columns.add(sortKey);
            if (after != null) {
                where.add("(" + String.join(", ", columns) + ") > (" + "?, ".repeat(leading.size()) + "?, ?, ?, ?)");
                parameters.addAll(leadingValues);
                parameters.add(after.namespace());
                parameters.add(after.name());
                parameters.add(after.uid());
                parameters.add(after.cluster());
            }
            order = String.join(", ", columns);
        }
        if (!where.isEmpty()) {
            sql.append(" WHERE ").append(String.join(" AND ", where));
        }
        sql.append(" ORDER BY ").append(order).append(" LIMIT ?");
        parameters.add(query.limit() + 1);
        this.sql = sql.toString();
    }
}
