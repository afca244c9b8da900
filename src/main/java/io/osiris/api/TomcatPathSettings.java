package io.osiris.api;

import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.JsonErrorReportValve;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Tomcat rejects an encoded slash ({@code %2F}) with an HTML page before Osiris sees the request. Passed through,
 * it reaches the name validation and gets the same JSON 400 as every other invalid name. Whatever Tomcat still
 * refuses itself (a NUL in the path, say) is answered in JSON, not HTML. A client that sends
 * {@code Expect: 100-continue} is asked for the body only when Osiris reads it (not at once, Tomcat's default), so a
 * refused upload (401, 403, 413) costs it no bytes.
 */
@Component
public class TomcatPathSettings implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addConnectorCustomizers(connector -> {
            connector.setEncodedSolidusHandling("passthrough");
            connector.setProperty("continueResponseTiming", "onRead");
        });
        factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
            }
        });
    }
}
