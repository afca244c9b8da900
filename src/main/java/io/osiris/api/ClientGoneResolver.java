package io.osiris.api;

import io.osiris.error.ErrorMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * A request whose client went quiet (the body idle past the timeout) or away (connection closed) is a client's
 * doing, not a server error: logged in one line and not passed on to the container, which would log it at ERROR
 * with a stack trace for every slow client. The connection is closed by then; no answer can be sent.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class ClientGoneResolver implements HandlerExceptionResolver {

    private static final Logger LOG = LoggerFactory.getLogger(ClientGoneResolver.class);

    @Override
    public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
                                         Exception failure) {
        String gone = ErrorMapping.clientGone(failure);
        if (gone == null) {
            return null;
        }
        LOG.info("{} {} from {}: the client {}", request.getMethod(), request.getRequestURI(), request.getRemoteAddr(),
                gone);
        return new ModelAndView();
    }
}
