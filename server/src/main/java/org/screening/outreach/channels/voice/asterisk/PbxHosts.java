package org.screening.outreach.channels.voice.asterisk;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.asteriskjava.util.ServerSocketFacade;
import org.asteriskjava.util.SocketConnectionFacade;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FastAGI listening socket, letting through only connections from the PBX hosts: anyone reaching the AGI port
 * could otherwise drive a conversation and write answers into a case ledger. Others are closed before a byte is
 * read, so no script runs. Names are resolved once, at start.
 */
final class PbxHosts implements ServerSocketFacade {
    private static final Logger LOG = LoggerFactory.getLogger(PbxHosts.class);

    private final ServerSocketFacade inner;
    private final Set<InetAddress> allowed;

    PbxHosts(ServerSocketFacade inner, Set<InetAddress> allowed) {
        this.inner = inner;
        this.allowed = Set.copyOf(allowed);
    }

    static Set<InetAddress> resolve(List<String> hosts) {
        Set<InetAddress> out = new LinkedHashSet<>();
        for (String h : hosts) {
            try {
                out.addAll(List.of(InetAddress.getAllByName(h.strip())));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("allowed PBX host cannot be resolved: " + h, e);
            }
        }
        return out;
    }

    @Override
    public SocketConnectionFacade accept() throws IOException {
        while (true) {
            SocketConnectionFacade s = inner.accept();
            InetAddress from = s.getRemoteAddress();
            if (from != null && allowed.contains(from)) return s;
            LOG.warn("FastAGI connection from {} refused: not an allowed PBX host", from == null ? "?" : from.getHostAddress());
            try {
                s.close();
            } catch (IOException e) {
                LOG.debug("closing refused FastAGI connection: {}", e.toString());
            }
        }
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }

    @Override
    public void setSocketReadTimeout(int socketReadTimeout) {
        inner.setSocketReadTimeout(socketReadTimeout);
    }
}
