package xcm.serve;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {

  @Test
  void ordinaryTextIsKeptAsItIs() {
    assertThat(LogText.escape("dmz01 web-01.example.org: drain \"ä€\""))
        .isEqualTo("dmz01 web-01.example.org: drain \"ä€\"");
  }

  @Test
  void lineBreaksBecomeVisibleEscapesSoThatNoSecondLineCanBeForged() {
    String forged = "dmz01\n2024-05-01 INFO xcm.audit - jolokia:xcm drain dmz02: done\r";

    assertThat(LogText.escape(forged))
        .isEqualTo("dmz01\\n2024-05-01 INFO xcm.audit - jolokia:xcm drain dmz02: done\\r")
        .doesNotContain("\n", "\r");
  }

  @Test
  void otherControlCharactersAndUnicodeSeparatorsAreEscapedByCodePoint() {
    assertThat(LogText.escape("a\tb\u0000c\u001bd\u007fe\u0085f\u009bg\u2028h\u2029i"))
        .isEqualTo("a\\tb\\u0000c\\u001bd\\u007fe\\u0085f\\u009bg\\u2028h\\u2029i");
  }

  @Test
  void bidirectionalControlsThatReorderALineAreEscaped() {
    assertThat(LogText.escape("x\u202ey\u2066z\u2069")).isEqualTo("x\\u202ey\\u2066z\\u2069");
  }

  @Test
  void aBackslashIsEscapedSoThatAnEscapeInTheLogIsNeverTheCallersOwnText() {
    assertThat(LogText.escape("a\\nb")).isEqualTo("a\\\\nb");
  }

  @Test
  void nullIsWrittenAsNull() {
    assertThat(LogText.escape(null)).isEqualTo("null");
  }
}
