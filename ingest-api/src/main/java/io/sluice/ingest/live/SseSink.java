package io.sluice.ingest.live;

import io.sluice.topology.live.LiveFrame;
import io.sluice.topology.live.LiveSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** A stream written as Server-Sent Events: {@code id:} and {@code data:} lines, no {@code event:} name. */
final class SseSink implements LiveSink {

    private static final MediaType UTF8_TEXT = new MediaType("text", "plain", StandardCharsets.UTF_8);

    private final SseEmitter emitter;

    SseSink(SseEmitter emitter) {
        this.emitter = emitter;
    }

    /**
     * The frames as one text, in the lines {@link SseEmitter#event()} would write for each
     * ({@code id:}, {@code data:}, a blank line; a message is JSON on one line), with one flush:
     * at thousands of messages a second, a write and a flush per message cost the writer most of its time.
     */
    @Override
    public void send(List<LiveFrame> frames) throws IOException {
        StringBuilder text = new StringBuilder(frames.size() * 256);
        for (LiveFrame frame : frames) {
            if (frame.id() != null) {
                text.append("id:").append(frame.id()).append('\n');
            }
            text.append("data:").append(frame.json()).append("\n\n");
        }
        emitter.send(Set.of(new ResponseBodyEmitter.DataWithMediaType(text.toString(), UTF8_TEXT)));
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
