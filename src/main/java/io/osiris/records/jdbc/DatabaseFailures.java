package io.osiris.records.jdbc;

import io.osiris.error.ErrorKind;
import io.osiris.error.OsirisException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.NonTransientDataAccessResourceException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.transaction.TransactionException;

/**
 * The database's failures as the rest of Osiris sees them: an unreachable, overloaded or not yet migrated database
 * is {@code STORAGE_UNAVAILABLE} (503, gRPC UNAVAILABLE), never "not found" and never an internal error.
 */
final class DatabaseFailures {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseFailures.class);

    private DatabaseFailures() {
    }

    static <T> T translate(Supplier<T> call) {
        try {
            return call.get();
        } catch (DuplicateKeyException e) {
            throw e; // a creation race, handled by the caller
        } catch (NonTransientDataAccessResourceException | TransientDataAccessException
                 | RecoverableDataAccessException | TransactionException | BadSqlGrammarException e) {
            // Transaction: no connection to begin with, or it broke before the rollback;
            // BadSqlGrammar: the schema is not there yet (database reachable again, migration pending)
            LOG.warn("Build database unavailable: {}", String.valueOf(e.getMostSpecificCause()));
            throw new OsirisException(ErrorKind.STORAGE_UNAVAILABLE, "the build database is unavailable", e);
        }
    }
}
