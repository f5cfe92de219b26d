package org.screening.outreach.web;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The address of the client behind a request, for per-address limits (self-report submissions, console logins).
 * Behind a load balancer every request comes from the balancer: when the peer is one of OUTREACH_TRUSTED_PROXIES
 * (addresses or CIDR ranges), the right-most X-Forwarded-For entry that is not itself a trusted proxy is the client.
 * From anyone else the header is ignored, so a client cannot name its own address.
 */
public final class ClientAddress implements Handler<RoutingContext> {
    private static final String KEY = "outreach.clientAddress";
    private record Range(BigInteger base, BigInteger mask, int bytes) {}

    private final List<Range> trusted;

    /** {@code trustedProxies}: "10.0.0.5", "172.16.0.0/12", "::1"; IllegalArgumentException names a bad entry. */
    public ClientAddress(List<String> trustedProxies) {
        List<Range> ranges = new ArrayList<>();
        for (String t : trustedProxies) ranges.add(range(t.strip()));
        this.trusted = List.copyOf(ranges);
    }

    @Override
    public void handle(RoutingContext ctx) {
        ctx.put(KEY, resolve(ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress(),
                ctx.request().getHeader("X-Forwarded-For")));
        ctx.next();
    }

    /** The client's address as the route-level handler found it; the peer's when the handler did not run. */
    public static String of(RoutingContext ctx) {
        String found = ctx.get(KEY);
        if (found != null) return found;
        return ctx.request().remoteAddress() == null ? "?" : ctx.request().remoteAddress().hostAddress();
    }

    String resolve(String peer, String forwardedFor) {
        if (peer == null) return "?";
        if (forwardedFor == null || !isTrusted(peer)) return peer;
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (hop.isEmpty() || !hop.matches("[0-9A-Fa-f:.]{2,45}")) return peer; // garbage: trust nothing in it
            if (!isTrusted(hop)) return hop;
        }
        return peer;
    }

    private boolean isTrusted(String address) {
        byte[] b = literal(address);
        if (b == null) return false;
        BigInteger v = new BigInteger(1, b);
        for (Range r : trusted) {
            if (r.bytes() == b.length && v.and(r.mask()).equals(r.base())) return true;
        }
        return false;
    }

    private static Range range(String spec) {
        int slash = spec.indexOf('/');
        byte[] b = literal(slash < 0 ? spec : spec.substring(0, slash));
        if (b == null) throw new IllegalArgumentException("not an IP address or CIDR range: " + spec);
        int bits = b.length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? bits : Integer.parseInt(spec.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an IP address or CIDR range: " + spec);
        }
        if (prefix < 0 || prefix > bits) throw new IllegalArgumentException("bad prefix length in " + spec);
        BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                .xor(BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE));
        return new Range(new BigInteger(1, b).and(mask), mask, b.length);
    }

    /** The bytes of an IP literal, without any name lookup; null for anything else. */
    private static byte[] literal(String s) {
        if (s == null || !s.matches("[0-9A-Fa-f:.]{2,45}") || !(s.contains(".") || s.contains(":"))) return null;
        try {
            return InetAddress.getByName(s).getAddress(); // a literal never triggers a lookup
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
