package io.osiris.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A request whose headers are partly set by Osiris: the filters hand facts to the Camel routes (which see headers,
 * not the servlet request) this way. A header named here replaces whatever the client sent under that name; a null
 * value removes it.
 */
public final class SyntheticHeaders extends HttpServletRequestWrapper {

    private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final String method;

    public SyntheticHeaders(HttpServletRequest request, Map<String, String> headers) {
        this(request, headers, request.getMethod());
    }

    /** As above, also presenting the request with another method (a HEAD served by its GET). */
    public SyntheticHeaders(HttpServletRequest request, Map<String, String> headers, String method) {
        super(request);
        this.headers.putAll(headers);
        this.method = method;
    }

    /** Builds the header map, allowing null values (a header removed). */
    public static Map<String, String> of(String... namesAndValues) {
        Map<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }

    @Override
    public String getMethod() {
        return method;
    }

    @Override
    public String getHeader(String name) {
        return headers.containsKey(name) ? headers.get(name) : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        if (headers.containsKey(name)) {
            String value = headers.get(name);
            return Collections.enumeration(value == null ? List.of() : List.of(value));
        }
        return super.getHeaders(name);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        List<String> names = Collections.list(super.getHeaderNames()).stream()
                .filter(n -> !headers.containsKey(n.toLowerCase(Locale.ROOT))).collect(Collectors.toList());
        headers.forEach((name, value) -> {
            if (value != null) {
                names.add(name);
            }
        });
        return Collections.enumeration(names);
    }
}
