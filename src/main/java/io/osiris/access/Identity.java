package io.osiris.access;

import java.util.List;
import java.util.Map;

/**
 * An authenticated caller. {@code source} says who vouched for it: the Kubernetes API (a TokenReview), the tokens
 * file (by token or by client certificate), or nobody (mode none).
 */
public record Identity(String name, String uid, List<String> groups, Map<String, List<String>> extra, Source source) {

    public enum Source { KUBERNETES, TOKEN, CERTIFICATE, ANONYMOUS }

    public static final Identity ANONYMOUS = new Identity("anonymous", null, List.of(), Map.of(), Source.ANONYMOUS);

    public Identity {
        groups = groups == null ? List.of() : List.copyOf(groups);
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }
}
