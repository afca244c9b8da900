package io.osiris.storage;

import io.osiris.error.OsirisException;
import io.osiris.records.BuildRef;
import io.osiris.records.LogStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import com.google.common.io.ByteStreams;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Logs as S3 objects: one object per build log at its deterministic key, uploaded from the spool file with its
 * length known (never buffered), in parts above {@code osiris.storage.part-size}.
 */
public class S3LogStore implements LogStore {

    private static final String CONTENT_TYPE = "text/plain; charset=utf-8";

    private final S3Client s3;
    private final String bucket;
    private final long partSize;
    private final BuildKeys keys;

    public S3LogStore(S3Client s3, StorageProperties properties, BuildKeys keys) {
        this.s3 = s3;
        this.bucket = properties.bucket();
        this.partSize = properties.partSize();
        this.keys = keys;
    }

    @Override
    public void put(String key, Path file, long size, String encoding) {
        String contentEncoding = "gzip".equals(encoding) ? "gzip" : null;
        StorageFailures.run(() -> {
            if (size <= partSize) {
                s3.putObject(PutObjectRequest.builder().bucket(bucket).key(key).contentType(CONTENT_TYPE)
                        .contentEncoding(contentEncoding).contentLength(size).build(), RequestBody.fromFile(file));
            } else {
                putInParts(key, file, size, contentEncoding);
            }
        });
    }

    private void putInParts(String key, Path file, long size, String contentEncoding) {
        String upload = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(CONTENT_TYPE)
                .contentEncoding(contentEncoding)).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            int number = 1;
            for (long offset = 0; offset < size; offset += partSize, number++) {
                long length = Math.min(partSize, size - offset);
                long from = offset;
                int part = number;
                String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(upload).partNumber(part)
                                .contentLength(length),
                        RequestBody.fromContentProvider(() -> slice(file, from, length), length, CONTENT_TYPE)).eTag();
                parts.add(CompletedPart.builder().partNumber(part).eTag(etag).build());
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(upload)
                    .multipartUpload(m -> m.parts(parts)));
        } catch (RuntimeException e) {
            // no half-written object and no parts left to pay for
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(upload));
            } catch (RuntimeException abortFailed) {
                e.addSuppressed(abortFailed);
            }
            throw e;
        }
    }

    /** One part of the file as a stream (opened again when the SDK retries the part). */
    private static InputStream slice(Path file, long offset, long length) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ).position(offset);
            return ByteStreams.limit(Channels.newInputStream(channel), length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public InputStream open(String key) {
        try {
            return s3.getObject(b -> b.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            throw OsirisException.notFound("the stored log object " + key + " is missing");
        } catch (SdkException e) {
            throw StorageFailures.unavailable(e);
        }
    }

    @Override
    public boolean exists(String key) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (SdkException e) {
            throw StorageFailures.unavailable(e);
        }
    }

    @Override
    public void delete(String key) {
        StorageFailures.run(() -> s3.deleteObject(b -> b.bucket(bucket).key(key)));
    }

    @Override
    public String logKey(BuildRef ref) {
        return keys.logKey(ref);
    }

    @Override
    public String encoding() {
        return keys.encoding();
    }
}
