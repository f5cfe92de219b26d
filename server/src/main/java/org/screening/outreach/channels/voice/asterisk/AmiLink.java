package org.screening.outreach.channels.voice.asterisk;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.asteriskjava.manager.DefaultManagerConnection;
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.ManagerConnectionState;
import org.asteriskjava.manager.ManagerEventListener;
import org.asteriskjava.manager.ResponseEvents;
import org.asteriskjava.manager.SendActionCallback;
import org.asteriskjava.manager.action.ManagerAction;
import org.asteriskjava.manager.action.PingAction;
import org.asteriskjava.manager.action.StatusAction;
import org.asteriskjava.manager.event.ConnectEvent;
import org.asteriskjava.manager.event.DisconnectEvent;
import org.asteriskjava.manager.event.HangupEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.OriginateResponseEvent;
import org.asteriskjava.manager.event.ResponseEvent;
import org.asteriskjava.manager.event.StatusEvent;
import org.asteriskjava.manager.response.ManagerError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one AMI connection to a PBX. The first login is retried every {@code reconnectInterval} until it works (the
 * server starts whether or not the PBX is up); after that Asterisk-Java reopens a dropped link by itself, and a
 * ping every {@code pingInterval} with a read timeout of three intervals turns a silently dead link into a drop.
 * Events of interest go to {@link Listener} on Asterisk-Java's event thread.
 */
final class AmiLink implements ManagerEventListener {
    private static final Logger LOG = LoggerFactory.getLogger(AmiLink.class);

    interface Listener {
        void originateResponse(OriginateResponseEvent e);

        void hangup(HangupEvent e);

        void linkUp();

        void linkDown();
    }

    private final AsteriskSettings settings;
    private final ScheduledExecutorService timer;
    private final DefaultManagerConnection connection;
    /** Set once by {@link #start}: no event comes before the first login. */
    private volatile Listener listener;
    private volatile boolean stopped;
    private ScheduledFuture<?> pinger;

    AmiLink(AsteriskSettings settings, ScheduledExecutorService timer) {
        this.settings = settings;
        this.timer = timer;
        this.connection = new DefaultManagerConnection(settings.amiHost(), settings.amiPort(), settings.amiUser(),
                settings.amiSecret());
        connection.setSocketTimeout((int) Math.min(Integer.MAX_VALUE, settings.reconnectInterval().toMillis()));
        connection.setSocketReadTimeout((int) Math.min(Integer.MAX_VALUE, settings.pingInterval().toMillis() * 3));
        // A secret changed on the PBX must not end the retries for good: they go on until both sides agree again.
        connection.setKeepAliveAfterAuthenticationFailure(true);
        connection.addEventListener(this);
    }

    /** Starts logging in; {@code listener} gets the events from then on. */
    void start(Listener listener) {
        this.listener = listener;
        timer.execute(this::firstLogin);
    }

    boolean connected() {
        return !stopped && connection.getState() == ManagerConnectionState.CONNECTED;
    }

    /** Writes the action; the callback gets the response, or null when the link drops before it came. */
    void send(ManagerAction action, SendActionCallback callback) throws IOException {
        connection.sendAction(action, callback);
    }

    void stop() {
        stopped = true;
        synchronized (this) {
            if (pinger != null) pinger.cancel(false);
        }
        ManagerConnectionState state = connection.getState();
        if (state == ManagerConnectionState.CONNECTED || state == ManagerConnectionState.RECONNECTING) {
            try {
                connection.logoff();
            } catch (RuntimeException e) {
                LOG.debug("AMI logoff of {} failed: {}", settings.pbxName(), e.toString());
            }
        }
    }

    /**
     * The channels up on the PBX now that carry {@code variable} as a whole number (our attempt id): that number →
     * the channel's Uniqueid. Asks with AMI {@code Status} (Variables: {@code variable}) and waits for its list;
     * throws when the PBX does not give it whole within {@code timeoutMillis}.
     */
    Map<Long, String> liveChannels(String variable, long timeoutMillis) throws Exception {
        StatusAction status = new StatusAction();
        status.setVariables(variable);
        ResponseEvents r = connection.sendEventGeneratingAction(status, timeoutMillis);
        if (r.getResponse() instanceof ManagerError e) throw new IllegalStateException("Status refused: " + e.getMessage());
        Map<Long, String> live = new HashMap<>();
        for (ResponseEvent e : r.getEvents()) {
            if (!(e instanceof StatusEvent s) || s.getVariables() == null) continue;
            for (Map.Entry<String, String> v : s.getVariables().entrySet()) {
                if (!v.getKey().equalsIgnoreCase(variable) || v.getValue() == null) continue;
                try {
                    live.put(Long.parseLong(v.getValue().strip()), s.getUniqueId());
                } catch (NumberFormatException ignored) {
                    // a channel of someone else's with the same variable name
                }
            }
        }
        return live;
    }

    ManagerConnection connection() {
        return connection;
    }

    private void firstLogin() {
        if (stopped) return;
        try {
            connection.login();
            synchronized (this) {
                long every = settings.pingInterval().toMillis();
                pinger = timer.scheduleWithFixedDelay(this::ping, every, every, TimeUnit.MILLISECONDS);
            }
        } catch (Exception e) { // IOException, AuthenticationFailedException, TimeoutException, IllegalStateException
            LOG.warn("AMI login to {} at {} failed ({}); retrying in {}", settings.pbxName(), settings.amiAddress(),
                    e.getClass().getSimpleName(), settings.reconnectInterval());
            if (!stopped) {
                timer.schedule(this::firstLogin, settings.reconnectInterval().toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private void ping() {
        if (!connected()) return;
        try {
            connection.sendAction(new PingAction(), null);
        } catch (IOException | RuntimeException e) {
            LOG.debug("AMI ping to {} not sent: {}", settings.pbxName(), e.toString());
        }
    }

    @Override
    public void onManagerEvent(ManagerEvent event) {
        if (event instanceof OriginateResponseEvent e) {
            listener.originateResponse(e);
        } else if (event instanceof HangupEvent e) {
            listener.hangup(e);
        } else if (event instanceof ConnectEvent) {
            LOG.info("AMI link to {} at {} is up", settings.pbxName(), settings.amiAddress());
            listener.linkUp();
        } else if (event instanceof DisconnectEvent) {
            LOG.warn("AMI link to {} dropped; Asterisk-Java reconnects", settings.pbxName());
            listener.linkDown();
        }
    }
}
