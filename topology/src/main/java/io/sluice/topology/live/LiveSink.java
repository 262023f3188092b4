package io.sluice.topology.live;

import java.io.IOException;

/** Where a stream's frames are written: an SSE response, a WebSocket session. */
public interface LiveSink {

    /** One message; {@code id} is the stream position it leaves the client at (null: none). */
    void send(String id, String json) throws IOException;

    /** A keep-alive that carries nothing. */
    void keepAlive() throws IOException;

    /** Ends the stream from the server's side. */
    void close();
}
