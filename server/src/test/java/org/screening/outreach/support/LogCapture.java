package org.screening.outreach.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Captures every log line (message, arguments and stack traces as text) while open, with the named loggers
 * raised to DEBUG so a leak at debug level is caught too. Close restores the levels.
 */
public final class LogCapture implements AutoCloseable {
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root;
    private final Map<Logger, Level> saved = new HashMap<>();

    public LogCapture(String... debugLoggers) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (String name : debugLoggers) {
            Logger l = ctx.getLogger(name);
            saved.put(l, l.getLevel());
            l.setLevel(Level.DEBUG);
        }
        appender.setContext(ctx);
        appender.start();
        root.addAppender(appender);
    }

    /** Each captured event as one text: level, logger, formatted message, then any throwable chain. */
    public synchronized List<String> lines() {
        List<String> out = new ArrayList<>();
        for (ILoggingEvent e : new ArrayList<>(appender.list)) {
            StringBuilder sb = new StringBuilder().append(e.getLevel()).append(' ').append(e.getLoggerName())
                    .append(" - ").append(e.getFormattedMessage());
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                sb.append("\n").append(t.getClassName()).append(": ").append(t.getMessage());
                for (StackTraceElementProxy s : t.getStackTraceElementProxyArray()) sb.append("\n\t").append(s.getSTEAsString());
            }
            out.add(sb.toString());
        }
        return out;
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
        saved.forEach(Logger::setLevel);
    }
}
