package io.sluice.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The slow endpoint of {@code --scenario=slow-endpoint}: accepts every connection, reads what is
 * sent and never answers, so every attempt Sluice makes there ends by its timeout.
 *
 * <p>Why reading rather than ignoring the socket: Sluice's HTTP client closes a connection whose
 * request timed out; a receiver that never reads would not notice and keep thousands of half-closed
 * sockets until the run ends. Reading to end of stream lets each connection's thread close it.
 * A blocking read per connection on a virtual thread costs nothing while it waits, which is all
 * it does.
 */
public final class SilentReceiver implements AutoCloseable {

    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final LongAdder connections = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final Thread acceptor;
    private volatile boolean running = true;

    private SilentReceiver(ServerSocket server) {
        this.server = server;
        this.acceptor = Thread.ofPlatform().daemon().name("silent-receiver").unstarted(this::acceptLoop);
    }

    /** Starts listening on 127.0.0.1 and a free port. */
    public static SilentReceiver start() throws IOException {
        // A long backlog: Sluice opens its connections to one endpoint in bursts.
        SilentReceiver receiver = new SilentReceiver(new ServerSocket(0, 1024, InetAddress.getLoopbackAddress()));
        receiver.acceptor.start();
        return receiver;
    }

    /** The URL to register as the slow endpoint. */
    public URI hookUrl() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/hook");
    }

    /** Connections accepted so far: each carries one attempt, since none is ever answered. */
    public long connections() {
        return connections.sum();
    }

    /** Request bytes read so far. */
    public long bytesRead() {
        return bytes.sum();
    }

    private void acceptLoop() {
        while (running) {
            try {
                Socket socket = server.accept();
                connections.increment();
                open.add(socket);
                Thread.ofVirtual().name("silent-connection").start(() -> drain(socket));
            } catch (IOException e) {
                if (running) {
                    System.err.println("Silent receiver: accept failed: " + e);
                }
            }
        }
    }

    private void drain(Socket socket) {
        byte[] buffer = new byte[8192];
        try (socket; InputStream in = socket.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                bytes.add(n);
            }
        } catch (IOException e) {
            // reset by the client or closed by close(): either way this attempt is over
        } finally {
            open.remove(socket);
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        server.close();
        for (Socket socket : open) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
