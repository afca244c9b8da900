package io.osiris.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.osiris.access.Access;
import io.osiris.access.AccessControl;
import io.osiris.access.AuditLog;
import io.osiris.access.Callers;
import io.osiris.access.Credentials;
import io.osiris.access.Identity;
import io.osiris.error.OsirisException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.apache.camel.Exchange;

/**
 * Authenticates every call of the Osiris service before its first message is handled: the bearer token of the
 * {@code authorization} metadata, else the subject of the verified TLS client certificate. A call nobody vouches for
 * ends at once with UNAUTHENTICATED; an accepted caller travels with the call (gRPC {@link Context}) to the routes,
 * which check each permission like the REST doors do ({@link #attach}).
 */
final class GrpcCallers implements ServerInterceptor {

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<Credentials> CREDENTIALS = Context.key("osiris-credentials");
    private static final Context.Key<Identity> IDENTITY = Context.key("osiris-identity");

    /** What each call would do, for the audit line of a refused one (its namespace is not known yet). */
    private static final java.util.Map<String, Access> CALLS = java.util.Map.of(
            "PutBuild", refused(Access.Verb.CREATE, Access.Resource.BUILDS),
            "ListBuilds", refused(Access.Verb.LIST, Access.Resource.BUILDS),
            "PutLog", refused(Access.Verb.CREATE, Access.Resource.BUILD_LOGS),
            "GetLog", refused(Access.Verb.GET, Access.Resource.BUILD_LOGS),
            "FollowLog", refused(Access.Verb.GET, Access.Resource.BUILD_LOGS));

    private final Callers callers;
    private final AuditLog audit;

    GrpcCallers(Callers callers, AuditLog audit) {
        this.callers = callers;
        this.audit = audit;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                      ServerCallHandler<Q, A> next) {
        Credentials credentials = new Credentials(Credentials.bearer(headers.get(AUTHORIZATION)),
                certificateSubject(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION)),
                address(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)));
        Identity identity;
        try {
            identity = callers.authenticate(credentials);
        } catch (OsirisException e) {
            audit.record("-", CALLS.getOrDefault(call.getMethodDescriptor().getBareMethodName(),
                    refused(Access.Verb.GET, Access.Resource.BUILDS)), "unauthenticated", credentials.clientAddress(),
                    e.getMessage());
            call.close(Status.fromCode(e.kind().grpcCode()).withDescription(e.getMessage()), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        Context context = Context.current().withValue(CREDENTIALS, credentials).withValue(IDENTITY, identity);
        return Contexts.interceptCall(context, call, headers, next);
    }

    /** Puts the caller of the current call into the exchange, where {@link AccessControl} looks for it. */
    static void attach(Exchange exchange) {
        Credentials credentials = CREDENTIALS.get();
        Identity identity = IDENTITY.get();
        if (credentials != null && identity != null) {
            exchange.setProperty(Credentials.PROPERTY, credentials);
            exchange.setProperty(AccessControl.IDENTITY, identity);
        }
    }

    private static Access refused(Access.Verb verb, Access.Resource resource) {
        return new Access(verb, resource, Access.UNKNOWN_NAMESPACE, null);
    }

    private static String certificateSubject(SSLSession session) {
        if (session == null) {
            return null;
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x509
                    ? x509.getSubjectX500Principal().getName() : null;
        } catch (SSLPeerUnverifiedException e) {
            return null; // server-only TLS: the client sent no certificate
        }
    }

    private static String address(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() : null;
    }
}
