package org.screening.outreach.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP relay in front of a server (the test MariaDB), so a test can take that server away from one client
 * as a restart or a network fault would: {@link #cut()} resets every relayed connection and every new one until
 * {@link #restore()}. The port stays bound throughout: binding it again after closing can fail ("Address already in
 * use") while the cut connections linger in TIME_WAIT. The server itself, and other tests using it, are untouched.
 */
public final class TcpProxy implements AutoCloseable {
    private final int targetPort;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ServerSocket listener;
    private boolean cut;

    public TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = listen();
        this.port = listener.getLocalPort();
    }

    public int port() {
        return port;
    }

    /** The database is gone: live connections reset, new ones reset as soon as they arrive. */
    public synchronized void cut() {
        cut = true;
        for (Socket s : open) reset(s);
        open.clear();
    }

    /** The database is back on the same address. */
    public synchronized void restore() {
        cut = false;
    }

    @Override
    public synchronized void close() throws IOException {
        cut();
        listener.close();
    }

    private ServerSocket listen() throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread t = new Thread(() -> accept(s), "tcp-proxy-" + s.getLocalPort());
        t.setDaemon(true);
        t.start();
        return s;
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            Socket client;
            try {
                client = s.accept();
            } catch (IOException e) {
                return; // closed
            }
            synchronized (this) { // a connection accepted just before a cut must not outlive it
                if (cut) {
                    reset(client);
                    continue;
                }
                try {
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    open.add(client);
                    open.add(upstream);
                    pipe(client, upstream);
                    pipe(upstream, client);
                } catch (IOException e) {
                    reset(client);
                }
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed or was cut: the other follows
            } finally {
                reset(from);
                reset(to);
            }
        }, "tcp-proxy-pipe");
        t.setDaemon(true);
        t.start();
    }

    /** Closes with RST, as a crashed server's connections end, rather than an orderly FIN. */
    private void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException e) {
            // already closed
        }
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
        open.remove(s);
    }
}
