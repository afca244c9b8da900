package io.osiris.grpc;

import com.google.protobuf.Timestamp;
import io.osiris.records.BuildInfo;
import io.osiris.records.BuildNames;
import io.osiris.records.BuildRecord;
import io.osiris.records.BuildRef;
import io.osiris.records.BuildQuery;
import io.osiris.records.LogInfo;
import io.osiris.records.Phase;
import io.osiris.error.OsirisException;
import io.osiris.grpc.v1.Build;
import io.osiris.grpc.v1.ListBuildsReply;
import io.osiris.grpc.v1.ListBuildsRequest;
import io.osiris.grpc.v1.PutBuildRequest;
import java.time.Instant;
import java.util.Arrays;

/** Translates between the messages of osiris.proto and the domain, with the same validation as REST. */
final class GrpcMessages {

    private GrpcMessages() {
    }

    /** {@code cluster}: the message's, or when empty the caller's one cluster or the home cluster (as REST). */
    static BuildRef ref(io.osiris.grpc.v1.BuildRef build, String cluster) {
        return BuildNames.ref(cluster, build.getNamespace(), build.getName(), build.getUid());
    }

    static BuildInfo info(PutBuildRequest request) {
        io.osiris.grpc.v1.BuildInfo info = request.getInfo();
        Phase phase = Phase.parse(info.getPhase()).filter(p -> p.name().equals(info.getPhase()))
                .orElseThrow(() -> OsirisException.badRequest("phase", "phase '" + info.getPhase()
                        + "' is not one of " + Arrays.toString(Phase.values())));
        return new BuildInfo(BuildNames.uid(info.getUid()), phase,
                instant(info.hasStartTimestamp() ? info.getStartTimestamp() : null),
                instant(info.hasCompletionTimestamp() ? info.getCompletionTimestamp() : null),
                info.getLabelsCount() == 0 ? null : info.getLabelsMap(),
                info.getMessage().isEmpty() ? null : info.getMessage());
    }

    static Build build(BuildRecord record) {
        Build.Builder b = Build.newBuilder().setCluster(record.cluster()).setNamespace(record.namespace())
                .setName(record.name());
        if (record.uid() != null) {
            b.setUid(record.uid());
        }
        if (record.phase() != null) {
            b.setPhase(record.phase().name());
        }
        if (record.startTimestamp() != null) {
            b.setStartTimestamp(timestamp(record.startTimestamp()));
        }
        if (record.completionTimestamp() != null) {
            b.setCompletionTimestamp(timestamp(record.completionTimestamp()));
        }
        if (record.labels() != null) {
            b.putAllLabels(record.labels());
        }
        if (record.message() != null) {
            b.setMessage(record.message());
        }
        if (record.recordedAt() != null) {
            b.setRecordedAt(timestamp(record.recordedAt()));
        }
        if (record.updatedAt() != null) {
            b.setUpdatedAt(timestamp(record.updatedAt()));
        }
        if (record.log() != null) {
            b.setLog(log(record.log()));
        }
        return b.build();
    }

    static io.osiris.grpc.v1.LogInfo log(LogInfo log) {
        io.osiris.grpc.v1.LogInfo.Builder b = io.osiris.grpc.v1.LogInfo.newBuilder().setKey(log.key())
                .setSize(log.size()).setStoredSize(log.storedSize()).setSha256(log.sha256()).setLines(log.lines())
                .setEncoding(log.encoding()).setPending(Boolean.TRUE.equals(log.pending()));
        if (log.storedAt() != null) {
            b.setStoredAt(timestamp(log.storedAt()));
        }
        return b.build();
    }

    static BuildQuery query(ListBuildsRequest request, int defaultLimit, int maxLimit) {
        String phase = request.getPhase();
        int limit = request.getLimit() == 0 ? defaultLimit : request.getLimit();
        if (limit < 1 || limit > maxLimit) {
            throw OsirisException.badRequest("limit", "limit must be a number from 1 to " + maxLimit);
        }
        return new BuildQuery(
                request.getCluster().isEmpty() ? null : BuildNames.cluster(request.getCluster()),
                request.getNamespace().isEmpty() ? null : BuildNames.namespace(request.getNamespace()),
                BuildNames.namePrefix(request.getNamePrefix()),
                phase.isEmpty() ? null : Phase.parse(phase).filter(p -> p.name().equals(phase)).orElseThrow(
                        () -> OsirisException.badRequest("phase", "phase '" + phase + "' is not one of "
                                + Arrays.toString(Phase.values()))),
                request.getLabel().isEmpty() ? null : BuildQuery.Label.parse(request.getLabel()),
                request.hasSince() ? instant(request.getSince()) : null,
                request.hasUntil() ? instant(request.getUntil()) : null,
                limit,
                request.getPageToken().isEmpty() ? null : request.getPageToken(), false);
    }

    static ListBuildsReply page(BuildQuery.Page page) {
        ListBuildsReply.Builder reply = ListBuildsReply.newBuilder();
        page.items().forEach(record -> reply.addBuilds(build(record)));
        if (page.continueToken() != null) {
            reply.setNextPageToken(page.continueToken());
        }
        return reply.build();
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }

    private static Timestamp timestamp(Instant i) {
        return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
    }
}
