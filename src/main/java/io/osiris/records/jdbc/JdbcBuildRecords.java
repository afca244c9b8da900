package io.osiris.records.jdbc;

import io.osiris.error.ErrorKind;
import io.osiris.error.OsirisException;
import io.osiris.records.BuildInfo;
import io.osiris.records.BuildQuery;
import io.osiris.records.BuildRecord;
import io.osiris.records.BuildRecords;
import io.osiris.records.BuildRef;
import io.osiris.records.LogInfo;
import io.osiris.records.LogStore;
import io.osiris.records.RecordArchive;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Build records in a SQL database (PostgreSQL, or the embedded H2 in its PostgreSQL mode). Every change is one
 * transaction that holds the row lock of the record while it also writes the record's copy to the bucket, so two
 * replicas changing one build never lose a field and the bucket's copy never goes back in time. When the bucket
 * cannot take the copy, the row says so ({@code archive_pending}) and {@link #catchUpArchive()} writes it later.
 */
public class JdbcBuildRecords implements BuildRecords {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcBuildRecords.class);
    private static final String SELECT = "SELECT id, cluster, record FROM build_records ";
    private static final int CREATE_ATTEMPTS = 3;

    private final JdbcTemplate template;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final RecordArchive archive;
    private final LogStore logs;
    private final RecordJson json;
    private final Clock clock;

    public JdbcBuildRecords(JdbcTemplate template, TransactionTemplate transactions, RecordArchive archive,
                            LogStore logs, com.fasterxml.jackson.databind.ObjectMapper json) {
        this.template = template;
        this.jdbc = JdbcClient.create(template);
        this.transactions = transactions;
        this.archive = archive;
        this.logs = logs;
        this.json = new RecordJson(json);
        this.clock = Clock.systemUTC();
    }

    @Override
    public Optional<BuildRecord> find(BuildRef ref) {
        return DatabaseFailures.translate(() -> (ref.uid() != null ? select(ref, false) : newest(ref, false))
                .map(RecordRow::record));
    }

    @Override
    public Optional<BuildRecord> exact(BuildRef ref) {
        return DatabaseFailures.translate(() -> select(ref, false).map(RecordRow::record));
    }

    @Override
    public BuildRecord saveInfo(BuildRef ref, BuildInfo info) {
        BuildRef target = info.uid() != null ? ref.withUid(info.uid()) : ref;
        return change(target, target.uid() == null, current -> current
                .map(r -> r.update(info, now()))
                .orElseGet(() -> BuildRecord.create(target, info, now())));
    }

    @Override
    public BuildRecord recordLog(BuildRef ref, LogInfo log) {
        return change(ref, false, current -> current
                .orElseGet(() -> BuildRecord.create(ref, new BuildInfo(ref.uid(), null, null, null, null, null), now()))
                .withLog(log.stored(now()), now()));
    }

    @Override
    public List<BuildRecord> delete(BuildRef ref) {
        List<RecordRow> doomed = DatabaseFailures.translate(() -> ref.uid() != null
                ? select(ref, false).map(List::of).orElse(List.of())
                : jdbc.sql(SELECT + "WHERE namespace = ? AND name = ? AND cluster = ?")
                        .params(ref.namespace(), ref.name(), ref.cluster())
                        .query(this::row).list());
        if (doomed.isEmpty()) {
            throw OsirisException.notFound("build " + ref + " is not known");
        }
        doomed.stream().filter(row -> row.record().onHold()).findFirst().ifPresent(held -> {
            throw new OsirisException(ErrorKind.CONFLICT, "legalHold", "build " + held.record().ref()
                    + " is on legal hold (" + held.record().legalHold().reason() + "); release the hold first");
        });
        for (RecordRow row : doomed) {
            deleteRow(row);
        }
        return doomed.stream().map(RecordRow::record).toList();
    }

    @Override
    public Optional<BuildRecord> deleteUnlessHeld(BuildRef ref) {
        // under the row lock: a hold placed while the decision was made wins
        Optional<BuildRecord> deleted = DatabaseFailures.translate(() -> transactions.execute(status -> {
            Optional<RecordRow> row = select(ref, true);
            if (row.isEmpty() || row.get().record().onHold()) {
                return Optional.<BuildRecord>empty();
            }
            archive.delete(row.get().record().ref());
            jdbc.sql("DELETE FROM build_records WHERE id = ?").param(row.get().id()).update();
            return Optional.of(row.get().record());
        }));
        deleted.filter(r -> r.log() != null).ifPresent(r -> logs.delete(r.log().key()));
        return deleted;
    }

    /** The bucket's copy goes first: a reindex must never bring a deleted build back. */
    private void deleteRow(RecordRow row) {
        archive.delete(row.record().ref());
        DatabaseFailures.translate(() -> jdbc.sql("DELETE FROM build_records WHERE id = ?").param(row.id()).update());
        if (row.record().log() != null) {
            logs.delete(row.record().log().key());
        }
    }

    @Override
    public BuildRecord hold(BuildRef ref, BuildRecord.LegalHold hold) {
        return change(ref, ref.uid() == null, current -> current
                .orElseThrow(() -> OsirisException.notFound("build " + ref + " is not known"))
                .withHold(hold, now()));
    }

    @Override
    public BuildQuery.Page list(BuildQuery query) {
        ListCursor after = query.continueToken() == null ? null
                : ListCursor.parse(query.continueToken(), query.namespace(), query.cluster(), query.newestFirst());
        ListStatement statement = new ListStatement(query, after);
        List<BuildRecord> found = DatabaseFailures.translate(() -> jdbc.sql(statement.sql)
                .params(statement.parameters).query(json::read).list());
        if (found.size() <= query.limit()) {
            return new BuildQuery.Page(found, null);
        }
        List<BuildRecord> page = found.subList(0, query.limit());
        return new BuildQuery.Page(page, ListCursor.after(page.get(page.size() - 1), query.newestFirst()).token());
    }

    @Override
    public List<BuildRecord> slice(long offset, int limit) {
        // the offset is walked on the key index alone (no row read); only the rows of the page are read
        return DatabaseFailures.translate(() -> jdbc.sql("SELECT b.cluster, b.record FROM (SELECT namespace, name, uid, cluster "
                        + "FROM build_records ORDER BY namespace, name, uid, cluster LIMIT ? OFFSET ?) k "
                        + "JOIN build_records b ON b.namespace = k.namespace AND b.name = k.name AND b.uid = k.uid "
                        + "AND b.cluster = k.cluster ORDER BY b.namespace, b.name, b.uid, b.cluster")
                .params(limit, offset).query(json::read).list());
    }

    @Override
    public long count() {
        return DatabaseFailures.translate(() -> jdbc.sql("SELECT COUNT(*) FROM build_records")
                .query(Long.class).single());
    }

    @Override
    public void rememberLegacyId(String id, String namespace) {
        archive.writeLegacyId(id, namespace);
        DatabaseFailures.translate(() -> {
            putLegacyId(id, namespace);
            return null;
        });
    }

    @Override
    public Optional<String> legacyNamespace(String id) {
        return DatabaseFailures.translate(() -> jdbc.sql("SELECT namespace FROM legacy_ids WHERE id = ?").param(id)
                .query(String.class).optional());
    }

    /**
     * Writes the bucket copies that failed (storage was down) for up to {@code limit} records, each under its row
     * lock. Returns how many were written.
     */
    public int catchUpArchive(int limit) {
        int written = 0;
        try {
            List<Long> pending = DatabaseFailures.translate(() -> jdbc.sql(
                    "SELECT id FROM build_records WHERE archive_pending = TRUE ORDER BY id LIMIT ?")
                    .param(limit).query(Long.class).list());
            for (long id : pending) {
                written += writeArchiveCopy(id) ? 1 : 0;
            }
        } catch (OsirisException unavailable) {
            // the database or the bucket is still away: readiness says so; the next round tries again
            LOG.debug("Bucket copies not caught up yet: {}", unavailable.getMessage());
        }
        if (written > 0) {
            LOG.info("Wrote {} bucket copies of records changed while storage was away", written);
        }
        return written;
    }

    /** Writes the bucket copy of one row under its lock (unless another replica just did). */
    private boolean writeArchiveCopy(long id) {
        Boolean done = DatabaseFailures.translate(() -> transactions.execute(status -> {
            Optional<RecordRow> row = jdbc.sql(SELECT + "WHERE id = ? AND archive_pending = TRUE FOR UPDATE")
                    .param(id).query(this::row).optional();
            if (row.isEmpty()) {
                return false;
            }
            archive.write(row.get().record());
            jdbc.sql("UPDATE build_records SET archive_pending = FALSE WHERE id = ?").param(id).update();
            return true;
        }));
        return Boolean.TRUE.equals(done);
    }

    /**
     * Takes a record from the bucket (reindex): inserted when the database lacks it, replacing the row when the
     * bucket's copy is newer. Returns true when the row changed.
     */
    boolean restore(BuildRecord record) {
        return Boolean.TRUE.equals(DatabaseFailures.translate(() -> transactions.execute(status -> {
            Optional<RecordRow> current = select(record.ref(), true);
            if (current.isEmpty()) {
                insert(record, false);
                return true;
            }
            Instant known = current.get().record().updatedAt();
            if (known != null && record.updatedAt() != null && !record.updatedAt().isAfter(known)) {
                return false;
            }
            update(current.get(), record, false);
            return true;
        })));
    }

    void restoreLegacyId(String id, String namespace) {
        DatabaseFailures.translate(() -> {
            putLegacyId(id, namespace);
            return null;
        });
    }

    /** Read-modify-write of one record under its row lock (or as a new row); retried when another replica created it first. */
    private BuildRecord change(BuildRef ref, boolean newestOfName, Function<Optional<BuildRecord>, BuildRecord> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                return DatabaseFailures.translate(() -> transactions.execute(status -> {
                    Optional<RecordRow> current = newestOfName ? newest(ref, true) : select(ref, true);
                    BuildRecord updated = change.apply(current.map(RecordRow::record));
                    boolean archived = archiveWhilePossible(updated);
                    if (current.isPresent()) {
                        update(current.get(), updated, !archived);
                    } else {
                        insert(updated, !archived);
                    }
                    return updated;
                }));
            } catch (DuplicateKeyException created) {
                if (attempt == CREATE_ATTEMPTS) {
                    throw created;
                }
            }
        }
    }

    private boolean archiveWhilePossible(BuildRecord record) {
        try {
            archive.write(record);
            return true;
        } catch (OsirisException e) {
            LOG.warn("Copy of the record of {} not written to the bucket yet ({}); it will be retried",
                    record.ref(), e.getMessage());
            return false;
        }
    }

    private Optional<RecordRow> select(BuildRef ref, boolean lock) {
        return jdbc.sql(SELECT + "WHERE namespace = ? AND name = ? AND uid = ? AND cluster = ?"
                        + (lock ? " FOR UPDATE" : ""))
                .params(ref.namespace(), ref.name(), RecordColumns.uid(ref), ref.cluster()).query(this::row)
                .optional();
    }

    private Optional<RecordRow> newest(BuildRef ref, boolean lock) {
        return jdbc.sql(SELECT + "WHERE namespace = ? AND name = ? AND cluster = ? ORDER BY recorded_at DESC, id DESC "
                        + "LIMIT 1" + (lock ? " FOR UPDATE" : ""))
                .params(ref.namespace(), ref.name(), ref.cluster()).query(this::row).optional();
    }

    private void insert(BuildRecord record, boolean archivePending) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO build_records (cluster, namespace, name, uid, phase, started_at, recorded_at, "
                        + "updated_at, has_log, archive_pending, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(record.cluster(), record.namespace(), record.name(), RecordColumns.uid(record.ref()), RecordColumns.phase(record),
                        RecordColumns.startedAt(record), RecordColumns.time(record.recordedAt()),
                        RecordColumns.time(record.updatedAt()), record.hasLog(), archivePending, json.write(record))
                .update(key, "id");
        insertLabels(Objects.requireNonNull(key.getKey()).longValue(), record);
    }

    private void update(RecordRow row, BuildRecord record, boolean archivePending) {
        jdbc.sql("UPDATE build_records SET phase = ?, started_at = ?, recorded_at = ?, updated_at = ?, has_log = ?, "
                        + "archive_pending = ?, record = ? WHERE id = ?")
                .params(RecordColumns.phase(record), RecordColumns.startedAt(record),
                        RecordColumns.time(record.recordedAt()), RecordColumns.time(record.updatedAt()),
                        record.hasLog(), archivePending, json.write(record), row.id())
                .update();
        if (!Objects.equals(row.record().labels(), record.labels())) {
            jdbc.sql("DELETE FROM build_labels WHERE build_id = ?").param(row.id()).update();
            insertLabels(row.id(), record);
        }
    }

    private void insertLabels(long id, BuildRecord record) {
        if (record.labels() == null || record.labels().isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>();
        for (Map.Entry<String, String> label : record.labels().entrySet()) {
            rows.add(new Object[] {id, label.getKey(), label.getValue(), record.namespace(), record.name(),
                    RecordColumns.uid(record.ref()), record.cluster()});
        }
        template.batchUpdate("INSERT INTO build_labels (build_id, label_key, label_value, namespace, name, uid, "
                + "cluster) VALUES (?, ?, ?, ?, ?, ?, ?)", rows);
    }

    private void putLegacyId(String id, String namespace) {
        if (jdbc.sql("UPDATE legacy_ids SET namespace = ? WHERE id = ?").params(namespace, id).update() == 0) {
            try {
                jdbc.sql("INSERT INTO legacy_ids (id, namespace) VALUES (?, ?)").params(id, namespace).update();
            } catch (DuplicateKeyException raced) {
                jdbc.sql("UPDATE legacy_ids SET namespace = ? WHERE id = ?").params(namespace, id).update();
            }
        }
    }

    private RecordRow row(java.sql.ResultSet rs, int rowNum) throws java.sql.SQLException {
        return new RecordRow(rs.getLong("id"), json.read(rs, rowNum));
    }

    /** Microseconds: what both databases keep of a timestamp, so a record reads back as it was written. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
