package io.sluice.topology.live;

import java.io.IOException;
import java.util.List;

/** Where a stream's frames are written: an SSE response, a WebSocket session. */
public interface LiveSink {

    /** Messages in order, written together (one flush). */
    void send(List<LiveFrame> frames) throws IOException;

    /** A keep-alive that carries nothing. */
    void keepAlive() throws IOException;

    /** Ends the stream from the server's side. */
    void close();
}
