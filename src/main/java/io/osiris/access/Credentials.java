package io.osiris.access;

/**
 * What a caller presented: a bearer token, the subject of a verified TLS client certificate, and where the call came
 * from (for the audit log). Any of them may be null.
 */
public record Credentials(String bearerToken, String clientSubject, String clientAddress) {

    /** The {@code WWW-Authenticate} value of every 401 (RFC 6750): which scheme to authenticate with. */
    public static final String CHALLENGE = "Bearer realm=\"osiris\"";

    /** Exchange property that a door sets when the credentials do not come from HTTP headers (gRPC). */
    public static final String PROPERTY = "osirisCredentials";

    /**
     * Where OpenShift's oauth-proxy (with {@code --pass-access-token}) puts the signed-in user's token. It is only a
     * second place for a bearer token: the token is reviewed like any other, so a client that sets it itself gains
     * nothing it could not have with {@code Authorization}.
     */
    public static final String FORWARDED_TOKEN = "X-Forwarded-Access-Token";

    /** The bearer token of a request: its {@code Authorization} header, else the oauth-proxy's header. */
    public static String token(String authorization, String forwardedAccessToken) {
        String bearer = bearer(authorization);
        if (bearer != null || forwardedAccessToken == null || forwardedAccessToken.isBlank()) {
            return bearer;
        }
        return forwardedAccessToken.strip();
    }

    /** The token of an {@code Authorization: Bearer ...} header value; null for any other value. */
    public static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.strip();
        if (value.length() > 7 && value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = value.substring(7).strip();
            return token.isEmpty() ? null : token;
        }
        return null;
    }
}
