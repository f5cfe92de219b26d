package org.screening.outreach.channels.voice.asterisk;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.asteriskjava.fastagi.AgiScript;
import org.asteriskjava.fastagi.DefaultAgiServer;
import org.asteriskjava.fastagi.MappingStrategy;
import org.asteriskjava.util.ServerSocketFacade;

/**
 * The FastAGI server: Asterisk-Java's {@link DefaultAgiServer} serving only the script {@code ivr}, behind
 * {@link PbxHosts}, on its own thread. {@link #start()} returns once the port is bound (or throws), so a port in use
 * stops the server at start rather than leaving calls without their conversation.
 */
final class AgiListener extends DefaultAgiServer {
    private final Set<InetAddress> allowed;
    private final CompletableFuture<Void> bound = new CompletableFuture<>();
    private Thread thread;

    AgiListener(AsteriskSettings settings, AgiScript ivr) {
        super(only(ivr));
        this.allowed = PbxHosts.resolve(settings.allowedPbxHosts());
        setPort(settings.agiPort());
        setAddress(bindAddress(settings.agiBindAddress()));
        // One thread per live call; a few more for sessions that are finishing.
        setPoolSize(Math.min(10, settings.maxChannels()));
        setMaximumPoolSize(settings.maxChannels() + 10);
    }

    private static MappingStrategy only(AgiScript ivr) {
        return (request, channel) -> IvrAgiScript.NAME.equals(request.getScript()) ? ivr : null;
    }

    void start() {
        thread = new Thread(() -> {
            try {
                startup();
            } catch (IOException e) {
                bound.completeExceptionally(e);
            }
        }, "outreach-fastagi");
        thread.setDaemon(true);
        thread.start();
        try {
            bound.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("FastAGI server cannot listen on port " + getPort() + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            throw new IllegalStateException("FastAGI server did not start on port " + getPort(), e);
        }
    }

    void stop() {
        shutdown();
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    protected ServerSocketFacade createServerSocket() throws IOException {
        try {
            ServerSocketFacade socket = new PbxHosts(super.createServerSocket(), allowed);
            bound.complete(null);
            return socket;
        } catch (IOException e) {
            bound.completeExceptionally(e);
            throw e;
        }
    }

    private static InetAddress bindAddress(String address) {
        if (address == null || address.isBlank()) return null;
        try {
            return InetAddress.getByName(address.strip());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("FastAGI bind address cannot be resolved: " + address, e);
        }
    }
}
