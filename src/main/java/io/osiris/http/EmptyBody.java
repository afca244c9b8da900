package io.osiris.http;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;

/** A request body with nothing in it: what a filter hands on in place of a body that must not be read. */
public final class EmptyBody extends ServletInputStream {

    public static final EmptyBody INSTANCE = new EmptyBody();

    private EmptyBody() {
    }

    @Override
    public int read() {
        return -1;
    }

    @Override
    public boolean isFinished() {
        return true;
    }

    @Override
    public boolean isReady() {
        return true;
    }

    @Override
    public void setReadListener(ReadListener listener) {
        try {
            listener.onAllDataRead();
        } catch (IOException e) {
            listener.onError(e);
        }
    }
}
