package io.sluice.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A receiver that accepts connections and never answers: every delivery to it times out. */
public final class SilentReceiver implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    private SilentReceiver(ServerSocket server) {
        this.server = server;
    }

    public static SilentReceiver start() {
        try {
            SilentReceiver receiver = new SilentReceiver(new ServerSocket(0, 1024, InetAddress.getLoopbackAddress()));
            Thread.ofVirtual().name("silent-receiver").start(receiver::accept);
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                held.add(server.accept());
            } catch (IOException closed) {
                return;
            }
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getLocalPort() + path;
    }

    /** Connections accepted so far (one per attempt that reached it, at most). */
    public int connections() {
        return held.size();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : held) {
            socket.close();
        }
    }
}
