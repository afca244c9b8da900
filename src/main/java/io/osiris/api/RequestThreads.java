package io.osiris.api;

import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpEngine;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The routes run on the servlet container's own request thread, not on a second pool (platform-http's default).
 * A body read on a thread of another pool races with Tomcat when the body stops arriving: Tomcat may time the
 * connection out, finish the request and hand its processor to a new connection while that thread is still inside
 * a read, and the read's failure then answers 408 to the new connection's request. On the request thread the read
 * and its timeout belong to the one request. Bounds: {@code osiris.admission} below {@code server.tomcat.threads.max}.
 */
@Configuration(proxyBeanMethods = false)
class RequestThreads {

    @Bean("platform-http-engine") // the name platform-http looks its engine up by
    PlatformHttpEngine requestThreadEngine(@Value("${server.port:8080}") int port) {
        return new SpringBootPlatformHttpEngine(port, Runnable::run);
    }
}
