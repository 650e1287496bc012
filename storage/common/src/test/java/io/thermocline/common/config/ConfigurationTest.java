package io.thermocline.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.common.exception.InvalidConfigException;

import org.junit.jupiter.api.Test;

import java.time.Duration;

class ConfigurationTest {
    private static final ConfigOption<MemorySize> SIZE = ConfigOptions.key("log.segment.size")
            .memoryType()
            .defaultValue(MemorySize.ofMebiBytes(1024))
            .checkedBy(s -> s.bytes() >= 1024, "at least 1 kb");
    private static final ConfigOption<Duration> AGE = ConfigOptions.key("log.segment.max-age")
            .durationType()
            .defaultValue(Duration.ofDays(7));
    private static final ConfigOption<Integer> COUNT = ConfigOptions.key("count").intType().defaultValue(3)
            .checkedBy(n -> n >= 1, "at least 1");
    private static final ConfigOption<Boolean> FLAG = ConfigOptions.key("flag").booleanType().defaultValue(false);

    @Test
    void defaultsAndParsedValues() {
        Configuration conf = new Configuration();
        assertThat(conf.get(SIZE)).isEqualTo(MemorySize.ofMebiBytes(1024));
        conf.setString("log.segment.size", "64 mb").setString("log.segment.max-age", "5 min")
                .setString("count", "1_000").setString("flag", "TRUE");
        assertThat(conf.get(SIZE).bytes()).isEqualTo(64L << 20);
        assertThat(conf.get(AGE)).isEqualTo(Duration.ofMinutes(5));
        assertThat(conf.get(COUNT)).isEqualTo(1000);
        assertThat(conf.get(FLAG)).isTrue();
        conf.set(AGE, Duration.ofHours(2));
        assertThat(conf.get(AGE)).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void unitsParse() {
        assertThat(MemorySize.parse("1024").bytes()).isEqualTo(1024);
        assertThat(MemorySize.parse("4kb").bytes()).isEqualTo(4096);
        assertThat(MemorySize.parse("2 GB").bytes()).isEqualTo(2L << 30);
        assertThat(MemorySize.parse("1 tb").toString()).isEqualTo("1 tb");
        assertThat(ConfigOptions.parseDuration("k", "250 ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(ConfigOptions.parseDuration("k", "30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(ConfigOptions.parseDuration("k", "7 d")).isEqualTo(Duration.ofDays(7));
        assertThat(ConfigOptions.parseDuration("k", "PT1H")).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void badValuesNameKeyValueAndLimit() {
        Configuration conf = new Configuration().setString("log.segment.size", "12 b");
        assertThatThrownBy(() -> conf.get(SIZE)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("'log.segment.size'").hasMessageContaining("at least 1 kb")
                .hasMessageContaining("'12 b'");
        conf.setString("log.segment.size", "lots");
        assertThatThrownBy(() -> conf.get(SIZE)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("'lots'");
        conf.setString("log.segment.max-age", "5 fortnights");
        assertThatThrownBy(() -> conf.get(AGE)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("'log.segment.max-age'").hasMessageContaining("'5 fortnights'");
        conf.setString("count", "0");
        assertThatThrownBy(() -> conf.get(COUNT)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("'count' must be at least 1, got '0'");
        conf.setString("count", "x");
        assertThatThrownBy(() -> conf.get(COUNT)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("expects a number");
        conf.setString("flag", "yes");
        assertThatThrownBy(() -> conf.get(FLAG)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("true or false");
        assertThatThrownBy(() -> MemorySize.parse("99999999999 tb")).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("overflows");
    }
}
