package xcm.coordinator.plan;

import java.math.BigDecimal;
import java.math.MathContext;

/** How scores read in reasons, tables and notes: significant digits, never exponents. */
public final class ScoreFormat {
  private static final MathContext FOUR = new MathContext(4);

  private ScoreFormat() {}

  /** A score drop with four significant digits, e.g. {@code 0.0001235}. */
  public static String gain(double value) {
    if (value == 0 || !Double.isFinite(value)) {
      return value == 0 ? "0" : Double.toString(value);
    }
    return new BigDecimal(value).round(FOUR).stripTrailingZeros().toPlainString();
  }

  /** A score with six decimals, e.g. {@code 0.123457}. */
  public static String score(double value) {
    return new BigDecimal(value).setScale(6, java.math.RoundingMode.HALF_EVEN).toPlainString();
  }
}
