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

/**
 * A community ledger system on 127.0.0.1 that takes the feed (200 for every event) and counts each event id it got.
 * {@link #down()} stops listening, so the nodes meet refused connections as with a receiver that is switched off;
 * {@link #up()} listens again on the same port.
 */
final class LedgerReceiver implements AutoCloseable {
    private final int port;
    private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
    private final ExecutorService threads = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "ledger-receiver");
        t.setDaemon(true);
        return t;
    });
    private HttpServer server;

    LedgerReceiver() throws IOException {
        server = listen(0);
        port = server.getAddress().getPort();
    }

    String url() {
        return "http://127.0.0.1:" + port + "/ledger";
    }

    synchronized void down() {
        server.stop(0);
    }

    synchronized void up() throws IOException {
        server = listen(port);
    }

    /** How often the event with this id arrived. */
    int received(String eventId) {
        AtomicInteger n = received.get(eventId);
        return n == null ? 0 : n.get();
    }

    private HttpServer listen(int onPort) throws IOException {
        HttpServer s = HttpServer.create();
        // up() binds the same port again: the nodes keep the URL they were given.
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 128);
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
    public synchronized void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
