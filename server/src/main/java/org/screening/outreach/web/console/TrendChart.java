package org.screening.outreach.web.console;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.screening.outreach.ledger.SlaFigures;

/**
 * The dashboard's chart as SVG shapes computed here and written by the template (so every value still goes through
 * the page's HTML escaping): per day three bars — received, reached in time, overdue — scaled to the busiest day.
 */
final class TrendChart {
    static final int WIDTH = 640;
    static final int HEIGHT = 180;
    static final int AXIS = 20;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MM-dd");

    private TrendChart() {}

    /** Bars (x, y, w, h, kind, title) and axis labels (x, text) for {@code days}. */
    static Map<String, Object> of(List<SlaFigures.Day> days, Messages m) {
        long max = 1;
        for (SlaFigures.Day d : days) max = Math.max(max, d.received());
        int n = Math.max(1, days.size());
        double slot = (double) WIDTH / n;
        double bar = Math.max(1, slot / 4);
        int plot = HEIGHT - AXIS;
        List<Map<String, Object>> bars = new ArrayList<>();
        List<Map<String, Object>> labels = new ArrayList<>();
        int every = (int) Math.ceil(n / 8.0);
        for (int i = 0; i < days.size(); i++) {
            SlaFigures.Day d = days.get(i);
            String day = DAY.format(d.date());
            long[] values = {d.received(), d.reachedInTime(), d.overdue()};
            String[] kinds = {"received", "reached", "overdue"};
            for (int k = 0; k < 3; k++) {
                long h = Math.round((double) values[k] * (plot - 4) / max);
                bars.add(Map.of("x", fmt(i * slot + bar * (k + 0.5)), "y", fmt(plot - h), "w", fmt(bar),
                        "h", Long.toString(h), "kind", kinds[k],
                        "title", day + " " + m.get("dashboard." + kinds[k]) + " " + values[k]));
            }
            if (i % every == 0) labels.add(Map.of("x", fmt(i * slot + slot / 2), "text", day));
        }
        return Map.of("bars", bars, "labels", labels, "width", WIDTH, "height", HEIGHT, "axisY", plot, "max", max);
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.1f", v);
    }
}
