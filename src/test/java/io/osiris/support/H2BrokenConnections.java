package io.osiris.support;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;

/**
 * For the H2 TCP server that stands in for a database server in tests: its broken connections report H2's own
 * error codes rather than SQL state 08xxx, so the pool is told to drop them, as it drops PostgreSQL's.
 */
public class H2BrokenConnections implements SQLExceptionOverride {

    @java.lang.Override
    public SQLExceptionOverride.Override adjudicate(SQLException e) {
        return e.getErrorCode() == 90067 || e.getErrorCode() == 90121
                ? SQLExceptionOverride.Override.MUST_EVICT : SQLExceptionOverride.Override.CONTINUE_EVICT;
    }
}
