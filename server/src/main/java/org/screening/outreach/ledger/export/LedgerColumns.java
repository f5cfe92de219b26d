package org.screening.outreach.ledger.export;

import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import org.screening.outreach.domain.Masking;

/**
 * The columns of a ledger export and one event's cells. Name and phone leave masked (张*, 138****0000); no ID number
 * is exported at all.
 */
public final class LedgerColumns {
    public static final List<Column> COLUMNS = List.of(
            new Column("案件编号", "caseId", 28),
            new Column("所属社区", "jurisdiction", 14),
            new Column("风险类别", "category", 10),
            new Column("姓名", "name", 10),
            new Column("手机号码", "phone", 14),
            new Column("案件状态", "status", 12),
            new Column("时间", "at", 20),
            new Column("事件类型", "type", 24),
            new Column("事件", "typeName", 22),
            new Column("操作人", "actor", 20),
            new Column("详情", "details", 80));
    private final EventText text;
    private final Labels labels;
    private final ZoneId zone;

    public LedgerColumns(Labels labels, ZoneId zone) {
        this.text = new EventText(labels, zone);
        this.labels = labels;
        this.zone = zone;
    }

    /** In the order of {@link #COLUMNS}; the time as a local date-time to the second (a date cell in XLSX). */
    public List<Object> cells(ExportedEvent e) {
        return Arrays.asList(
                e.caseId(),
                e.jurisdiction(),
                e.category().chineseName(),
                Masking.name(e.name()),
                Masking.phone(e.phone()),
                labels.text("status." + e.status().name(), e.status().name()),
                e.event().at().atZone(zone).toLocalDateTime().truncatedTo(ChronoUnit.SECONDS),
                e.event().type(),
                text.title(e.event().type()),
                text.actor(e.event().actor()),
                text.details(e.event().data()));
    }
}
