package org.screening.outreach.ledger.transfer;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * This deployment's own jurisdiction prefix and its peers (OUTREACH_JURISDICTION, OUTREACH_TRANSFER_PEERS): which
 * server receives a person for a jurisdiction (the longest configured prefix that matches), and with which shared
 * key requests between the two are signed (both directions use the pair's one key).
 */
public final class TransferRoutes {
    /** One peer server: its jurisdiction prefix, its base URL, the key shared with it. */
    public record Peer(String prefix, String baseUrl, byte[] key) {
        @Override
        public String toString() {
            return "Peer[" + prefix + " " + baseUrl + ", key=***]";
        }
    }

    private final String ownPrefix;
    private final List<Peer> peers;

    public TransferRoutes(String ownPrefix, List<Peer> peers) {
        this.ownPrefix = ownPrefix == null ? "" : ownPrefix;
        this.peers = peers.stream().sorted(Comparator.comparingInt((Peer p) -> p.prefix().length()).reversed()).toList();
    }

    public String ownPrefix() {
        return ownPrefix;
    }

    /** Whether a case of this jurisdiction is ours to screen (no own prefix configured: everything is). */
    public boolean isOurs(String jurisdiction) {
        return jurisdiction.startsWith(ownPrefix);
    }

    /** The peer that takes people of this jurisdiction. */
    public Optional<Peer> route(String jurisdiction) {
        return peers.stream().filter(p -> jurisdiction.startsWith(p.prefix())).findFirst();
    }

    /** The peer configured with exactly this prefix (the one an outgoing transfer was routed to). */
    public Optional<Peer> peer(String prefix) {
        return peers.stream().filter(p -> p.prefix().equals(prefix)).findFirst();
    }

    /**
     * The peer serving a server whose own jurisdiction is {@code senderPrefix} (as it names itself in its requests):
     * a peer configured as "50" serves a server that calls itself "5001".
     */
    public Optional<Peer> sender(String senderPrefix) {
        if (senderPrefix == null || !senderPrefix.matches("\\d{2,12}")) return Optional.empty();
        return route(org.screening.outreach.domain.Transfer.fullCode(senderPrefix));
    }

    public boolean enabled() {
        return !peers.isEmpty();
    }
}
