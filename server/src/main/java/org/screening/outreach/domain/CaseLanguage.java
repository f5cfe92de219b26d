package org.screening.outreach.domain;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The language a person is reminded and called in (issue 4: zh-CN first, en too), so foreign nationals pushed to
 * a community do not get Chinese texts and calls. {@code tag} names the SMS templates and IVR scripts of the
 * language; {@code communityWord} is what a reminder or greeting says when the community has no name.
 */
public enum CaseLanguage {
    ZH_CN("zh-CN", "社区"),
    EN("en", "community");

    /** What intake accepts, for the row error of any other value. */
    public static final String ACCEPTED = "zh-CN (zh, 中文) or en (en-US, English, 英文)";

    /** Spellings lists actually use, compared lower-case; an empty value is the default. */
    private static final Map<String, CaseLanguage> SPELLINGS = Map.ofEntries(
            Map.entry("zh-cn", ZH_CN), Map.entry("zh_cn", ZH_CN), Map.entry("zh", ZH_CN), Map.entry("zh-hans", ZH_CN),
            Map.entry("中文", ZH_CN), Map.entry("汉语", ZH_CN), Map.entry("chinese", ZH_CN),
            Map.entry("en", EN), Map.entry("en-us", EN), Map.entry("en_us", EN), Map.entry("en-gb", EN),
            Map.entry("english", EN), Map.entry("英文", EN), Map.entry("英语", EN));

    private final String tag;
    private final String communityWord;

    CaseLanguage(String tag, String communityWord) {
        this.tag = tag;
        this.communityWord = communityWord;
    }

    public String tag() {
        return tag;
    }

    public String communityWord() {
        return communityWord;
    }

    /** A pushed value: empty → zh-CN (most lists have no such column); unknown → empty. */
    public static Optional<CaseLanguage> parse(String raw) {
        if (raw == null || raw.isBlank()) return Optional.of(ZH_CN);
        String key = Normalizer.normalize(raw, Normalizer.Form.NFKC).strip().toLowerCase(Locale.ROOT);
        return Optional.ofNullable(SPELLINGS.get(key));
    }

    /** A stored tag; anything unknown (a row of a later version) reads as zh-CN, the language every text has. */
    public static CaseLanguage ofTag(String tag) {
        for (CaseLanguage l : values()) if (l.tag.equals(tag)) return l;
        return ZH_CN;
    }
}
