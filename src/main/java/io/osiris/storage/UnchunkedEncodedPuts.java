package io.osiris.storage;

import software.amazon.awssdk.auth.signer.S3SignerExecutionAttribute;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Ceph RGW 16 answers 403 to a PutObject that carries {@code Content-Encoding} when the SDK signs it with aws-chunked
 * encoding (its default over plain HTTP). Such puts - single-part gzip logs, always from a file - are signed whole
 * instead; multipart parts keep chunked signing, which RGW accepts.
 */
class UnchunkedEncodedPuts implements ExecutionInterceptor {

    @Override
    @SuppressWarnings("deprecation") // still honoured by the S3 signer of SDK 2.41; no replacement per request
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof PutObjectRequest put && put.contentEncoding() != null) {
            attributes.putAttribute(S3SignerExecutionAttribute.ENABLE_CHUNKED_ENCODING, false);
        }
    }
}
