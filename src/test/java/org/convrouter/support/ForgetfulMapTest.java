package org.convrouter.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ForgetfulMapTest {

    @Test
    void remembersUpToItsLimitThenForgetsEverythingAndStartsAgain() {
        ForgetfulMap<String, Integer> map = new ForgetfulMap<>(2);
        map.put("a", 1);
        map.put("b", 2);
        assertThat(map.get("a")).isEqualTo(1);
        assertThat(map.get("b")).isEqualTo(2);
        map.put("c", 3); // full: forgets a and b
        assertThat(map.get("a")).isNull();
        assertThat(map.get("b")).isNull();
        assertThat(map.get("c")).isEqualTo(3);
    }

    @Test
    void forgetsEverythingOnceTheEntriesWouldPassItsBudgetInBytes() {
        ForgetfulMap<String, String> map = new ForgetfulMap<>(1_000, 1_000, (k, v) -> ForgetfulMap.stringBytes(v));
        map.put("a", "x".repeat(200)); // 456 bytes
        map.put("b", "x".repeat(200)); // 912
        assertThat(map.get("a")).isNotNull();
        assertThat(map.bytes()).isEqualTo(912);
        map.put("c", "x".repeat(200)); // past 1,000: forgets a and b
        assertThat(map.get("a")).isNull();
        assertThat(map.get("b")).isNull();
        assertThat(map.get("c")).isNotNull();
        assertThat(map.bytes()).isEqualTo(456);
        map.put("huge", "x".repeat(1_000)); // larger than the whole budget: not remembered, nothing forgotten
        assertThat(map.get("huge")).isNull();
        assertThat(map.get("c")).isNotNull();
    }
}
