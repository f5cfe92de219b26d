package org.screening.outreach.faults;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.screening.outreach.support.TcpProxy;

/**
 * A community ledger system on 127.0.0.1 that takes the feed (200 for every event) and counts each event id it got.
 * {@link #down()} resets every connection, open or new, as with a receiver that is switched off; {@link #up()} takes
 * them again on the same port (a relay in front keeps it bound: binding it again can fail while the cut connections
 * linger in TIME_WAIT).
 */
final class LedgerReceiver implements AutoCloseable {
    private final int port;
    private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
    private final ExecutorService threads = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "ledger-receiver");
        t.setDaemon(true);
        return t;
    });
    private final HttpServer server;
    private final TcpProxy door;

    LedgerReceiver() throws IOException {
        server = listen();
        door = new TcpProxy(server.getAddress().getPort());
        port = door.port();
    }

    String url() {
        return "http://127.0.0.1:" + port + "/ledger";
    }

    void down() {
        door.cut();
    }

    void up() {
        door.restore();
    }

    /** How often the event with this id arrived. */
    int received(String eventId) {
        AtomicInteger n = received.get(eventId);
        return n == null ? 0 : n.get();
    }

    private HttpServer listen() throws IOException {
        HttpServer s = HttpServer.create();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        s.createContext("/ledger", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                String id = ex.getRequestHeaders().getFirst("X-Outreach-Event-Id");
                if (id != null) received.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                ex.sendResponseHeaders(200, -1);
            }
        });
        s.setExecutor(threads);
        s.start();
        return s;
    }

    @Override
    public void close() throws IOException {
        door.close();
        server.stop(0);
        threads.shutdownNow();
    }
}
