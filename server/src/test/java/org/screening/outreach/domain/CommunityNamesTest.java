package org.screening.outreach.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CommunityNamesTest {
    final CommunityNames names = new CommunityNames(Map.of("51", "四川省", "510104", "锦江区",
            "510104001", "玉林街道", "510104001001", "玉林街道玉林社区"));

    @Test
    void aCodeTakesItsOwnNameOrItsNearestNamedAncestors() {
        assertThat(names.of("510104001001")).contains("玉林街道玉林社区");
        assertThat(names.of("510104001002")).contains("玉林街道");
        assertThat(names.of("510104002001")).contains("锦江区");
        assertThat(names.of("510105002001")).contains("四川省");
        assertThat(names.of("500101001001")).isEmpty();
        assertThat(names.of(null)).isEmpty();
        // The code a name was found under: a PBX files the community's recorded name by it.
        assertThat(names.named("510104001002")).contains(new CommunityNames.Named("510104001", "玉林街道"));
        assertThat(names.named("500101001001")).isEmpty();
    }

    @Test
    void onlyDivisionLevelsAndPlainNamesAreAccepted() {
        assertThat(CommunityNames.codeProblem("510104001001")).isNull();
        assertThat(CommunityNames.codeProblem("510104001")).isNull();
        assertThat(CommunityNames.codeProblem("5101040010")).isNotNull();
        assertThat(CommunityNames.codeProblem("51010400100a")).isNotNull();
        assertThat(CommunityNames.codeProblem("")).isNotNull();
        assertThat(CommunityNames.nameProblem("玉林街道玉林社区")).isNull();
        assertThat(CommunityNames.nameProblem("长".repeat(40))).isNull();
        assertThat(CommunityNames.nameProblem("长".repeat(41))).contains("40");
        assertThat(CommunityNames.nameProblem(" ")).isNotNull();
        assertThat(CommunityNames.nameProblem("玉林\n社区")).isNotNull();
        assertThat(CommunityNames.nameProblem("${link}")).isNotNull();
    }
}
