package io.sluice.ingest.live;

import io.sluice.topology.live.LiveSink;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** A stream written as Server-Sent Events: {@code id:} and {@code data:} lines, no {@code event:} name. */
final class SseSink implements LiveSink {

    private final SseEmitter emitter;

    SseSink(SseEmitter emitter) {
        this.emitter = emitter;
    }

    @Override
    public void send(String id, String json) throws IOException {
        SseEmitter.SseEventBuilder event = SseEmitter.event().data(json, MediaType.APPLICATION_JSON);
        emitter.send(id == null ? event : event.id(id));
    }

    @Override
    public void keepAlive() throws IOException {
        emitter.send(SseEmitter.event().comment("keep-alive"));
    }

    @Override
    public void close() {
        emitter.complete();
    }
}
