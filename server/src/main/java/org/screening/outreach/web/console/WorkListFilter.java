package org.screening.outreach.web.console;

import io.vertx.core.MultiMap;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.screening.outreach.domain.CaseStatus;
import org.screening.outreach.domain.Category;

/**
 * The work list's tab, filters and page as its links, forms and the case page's way back carry them. Read from query
 * or form parameters, an unknown value falls back (a hand-edited link still shows a list); written only from parsed
 * values, so nothing typed reaches a link unchecked. {@code community} is as typed: the list checks it against the
 * user's scope.
 */
record WorkListFilter(WorkList.Section section, CaseStatus status, Category category, String community, int page) {
    /** Where a staff member opening the console starts. */
    static final WorkListFilter START = new WorkListFilter(WorkList.Section.ALL, null, null, "", 1);

    static WorkListFilter from(MultiMap params) {
        WorkList.Section section = parse(WorkList.Section.class, value(params, "section"), WorkList.Section.ALL);
        return new WorkListFilter(section, within(section, parse(CaseStatus.class, value(params, "status"), null)),
                parse(Category.class, value(params, "category"), null), code(value(params, "community")),
                Math.max(1, Math.min(10_000, parseInt(value(params, "page")))));
    }

    /**
     * The same filters on another tab, from its first page; a status that tab never lists is dropped (a door-knock
     * filter taken to the unanswered tab would show an empty list that looks like no work).
     */
    WorkListFilter inSection(WorkList.Section s) {
        return new WorkListFilter(s, within(s, status), category, community, 1);
    }

    private static CaseStatus within(WorkList.Section section, CaseStatus status) {
        return status != null && section.statuses().contains(status) ? status : null;
    }

    WorkListFilter atPage(int p) {
        return new WorkListFilter(section, status, category, community, p);
    }

    String href() {
        StringBuilder b = new StringBuilder("/console?section=").append(section.name());
        if (status != null) b.append("&status=").append(status.name());
        if (category != null) b.append("&category=").append(category.name());
        if (!community.isEmpty()) b.append("&community=").append(URLEncoder.encode(community, StandardCharsets.UTF_8));
        if (page > 1) b.append("&page=").append(page);
        return b.toString();
    }

    /** A division code as typed: a Chinese keyboard in full-width mode gives "５１０１", which NFKC folds to digits. */
    static String code(String typed) {
        return java.text.Normalizer.normalize(typed, java.text.Normalizer.Form.NFKC).strip();
    }

    private static String value(MultiMap params, String name) {
        String v = params.get(name);
        return v == null ? "" : v.strip();
    }

    /** A number from a link; 1 when it is missing or not one. */
    static int parseInt(String s) {
        try {
            return s.isEmpty() ? 1 : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value, E fallback) {
        if (value.isEmpty()) return fallback;
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }
}
