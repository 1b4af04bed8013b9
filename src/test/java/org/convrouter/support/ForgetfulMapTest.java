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
}
