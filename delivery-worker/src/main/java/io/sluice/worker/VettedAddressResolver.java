package io.sluice.worker;

import io.sluice.core.net.SsrfGuard;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * The HTTP client's name resolution: one lookup through the {@link SsrfGuard}, which refuses
 * internal addresses, and the connection goes to the addresses it vetted, nowhere else.
 * Lookups block, so they run on the client's executor, as Jetty's own resolver does.
 */
final class VettedAddressResolver implements SocketAddressResolver {

    private final SsrfGuard guard;
    private final Executor executor;

    VettedAddressResolver(SsrfGuard guard, Executor executor) {
        this.guard = guard;
        this.executor = executor;
    }

    @Override
    public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
        executor.execute(() -> {
            try {
                promise.succeeded(guard.resolve(host).stream().map(address -> new InetSocketAddress(address, port)).toList());
            } catch (Exception e) {
                promise.failed(e);
            }
        });
    }
}
