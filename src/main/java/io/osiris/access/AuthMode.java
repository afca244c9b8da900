package io.osiris.access;

/** How callers are told apart: see {@link AuthProperties#mode()}. */
public enum AuthMode {
    NONE, KUBERNETES, TOKENS
}
