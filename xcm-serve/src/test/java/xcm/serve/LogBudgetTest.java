package xcm.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class LogBudgetTest {
  private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

  @Test
  void oneLinePerIntervalAndTheNextSaysHowManyWereHeldBack() {
    LogBudget budget = new LogBudget(Duration.ofSeconds(60));

    assertThat(budget.take(T0)).isEqualTo(OptionalLong.of(0));
    for (int i = 1; i <= 1000; i++) {
      assertThat(budget.take(T0.plusMillis(i * 59))).isEmpty();
    }
    assertThat(budget.take(T0.plusSeconds(60))).isEqualTo(OptionalLong.of(1000));
    assertThat(budget.take(T0.plusSeconds(61))).isEmpty();
    assertThat(budget.take(T0.plusSeconds(300))).isEqualTo(OptionalLong.of(1));
  }
}
