package io.sluice.ingest.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One ingest stream, answered item by item as each item's commit completes (in whatever order
 * the commits finish), with flow control both ways: at most {@code window} items are read
 * ahead of their results, and while the client is not reading results the server reads no
 * more requests. The stream ends once the client has half-closed and every item is answered.
 *
 * <p>Results are sent by one drain task at a time, never by the thread that completes an item:
 * that is a group-commit writer, which must go back to committing rather than serialise and
 * send a thousand results.
 *
 * @param <Q> request item
 * @param <R> result item (a success or an item error: the stream itself never fails for one item)
 */
final class ItemStream<Q, R> implements StreamObserver<Q> {

    /** Turns one item into its result; the future never completes exceptionally. */
    @FunctionalInterface
    interface Handler<Q, R> {
        CompletableFuture<R> handle(Q item, long sequence);
    }

    private static final Executor DRAINS = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("sluice-grpc-results-", 0).factory());

    private final ServerCallStreamObserver<R> results;
    private final Handler<Q, R> handler;
    private final ConcurrentLinkedQueue<R> answered = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Object lock = new Object();
    private long nextSequence;
    private int unanswered;
    /** Items that could be asked for, held back while the client was not reading results. */
    private int owed;
    private boolean halfClosed;
    private boolean finished;

    private ItemStream(ServerCallStreamObserver<R> results, Handler<Q, R> handler) {
        this.results = results;
        this.handler = handler;
    }

    static <Q, R> StreamObserver<Q> open(StreamObserver<R> observer, int window, Handler<Q, R> handler) {
        ServerCallStreamObserver<R> results = (ServerCallStreamObserver<R>) observer;
        ItemStream<Q, R> stream = new ItemStream<>(results, handler);
        results.disableAutoRequest();
        results.setOnReadyHandler(stream::askForOwed);
        results.setOnCancelHandler(stream::cancelled);
        results.request(window);
        return stream;
    }

    @Override
    public void onNext(Q item) {
        long sequence;
        synchronized (lock) {
            sequence = nextSequence++;
            unanswered++;
        }
        // May wait while the writers are saturated: that is the stream's back-pressure.
        handler.handle(item, sequence).thenAccept(result -> {
            answered.add(result);
            if (draining.compareAndSet(false, true)) {
                DRAINS.execute(this::drain);
            }
        });
    }

    private void drain() {
        do {
            synchronized (lock) {
                int sent = 0;
                R result;
                while ((result = answered.poll()) != null) {
                    unanswered--;
                    if (!finished) {
                        results.onNext(result);
                        sent++;
                    }
                }
                if (sent > 0 && !finished) {
                    if (results.isReady()) {
                        results.request(sent);
                    } else {
                        owed += sent;
                    }
                }
                finishIfDone();
            }
            draining.set(false);
            // A result added after the poll loop but before the flag was cleared has no drain yet.
        } while (!answered.isEmpty() && draining.compareAndSet(false, true));
    }

    private void askForOwed() {
        synchronized (lock) {
            if (owed > 0 && !finished) {
                results.request(owed);
                owed = 0;
            }
        }
    }

    @Override
    public void onError(Throwable cause) {
        // The client went away: items already handed to the writers are still committed (a
        // client resending them with their idempotency keys gets the same ids), but not answered.
        cancelled();
    }

    private void cancelled() {
        synchronized (lock) {
            finished = true;
        }
    }

    @Override
    public void onCompleted() {
        synchronized (lock) {
            halfClosed = true;
            finishIfDone();
        }
    }

    private void finishIfDone() {
        if (halfClosed && unanswered == 0 && !finished) {
            finished = true;
            results.onCompleted();
        }
    }
}
