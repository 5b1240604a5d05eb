package xcm.trust.enrol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import xcm.trust.TrustFileException;
import xcm.trust.enrol.TokenRejectedException.Reason;

/** Every behaviour against both stores: in memory and in a file. */
class EnrolmentTokensTest {
  private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");

  @TempDir static Path temp;
  private final AtomicReference<Instant> now = new AtomicReference<>(NOW);
  private final Clock clock =
      new Clock() {
        @Override
        public Instant instant() {
          return now.get();
        }

        @Override
        public ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return this;
        }
      };

  interface Store {
    TokenStore make() throws Exception;
  }

  static Stream<Store> stores() {
    return Stream.of(
        InMemoryTokenStore::new,
        () -> new FileTokenStore(Files.createTempDirectory(temp, "tokens").resolve("ca")));
  }

  private EnrolmentTokens tokens(TokenStore store) {
    return new EnrolmentTokens(store, clock, new SecureRandom());
  }

  @ParameterizedTest
  @MethodSource("stores")
  void tokenLetsInTheHostItWasIssuedForOnce(Store store) throws Exception {
    EnrolmentTokens tokens = tokens(store.make());
    IssuedToken token = tokens.issue("hv07", Duration.ofHours(24));

    TokenRecord redeemed = tokens.redeem(token.secret(), "hv07");

    assertThat(token.secret()).startsWith("xcm-enrol-").hasSize(10 + 32);
    assertThat(token.toString()).doesNotContain(token.secret());
    assertThat(redeemed.name()).isEqualTo("hv07");
    assertThat(redeemed.redeemedAt()).contains(NOW);
    rejected(
        () -> tokens.redeem(token.secret(), "hv07"),
        Reason.ALREADY_REDEEMED,
        "enrolment token for \"hv07\" was already redeemed at 2025-03-01T10:00:00Z");
  }

  @ParameterizedTest
  @MethodSource("stores")
  void tokenForAnotherHostIsRefusedAndStaysUsable(Store store) throws Exception {
    EnrolmentTokens tokens = tokens(store.make());
    IssuedToken token = tokens.issue("hv07", Duration.ofHours(24));

    rejected(
        () -> tokens.redeem(token.secret(), "hv08"),
        Reason.WRONG_NAME,
        "enrolment token presented by \"hv08\" was issued for another host");
    tokens.redeem(token.secret(), "hv07");
  }

  @ParameterizedTest
  @MethodSource("stores")
  void expiredTokenIsRefused(Store store) throws Exception {
    EnrolmentTokens tokens = tokens(store.make());
    IssuedToken token = tokens.issue("hv07", Duration.ofHours(1));
    now.set(NOW.plus(Duration.ofHours(1)));

    rejected(
        () -> tokens.redeem(token.secret(), "hv07"),
        Reason.EXPIRED,
        "enrolment token for \"hv07\" expired at 2025-03-01T11:00:00Z");
    assertThat(tokens.open()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("stores")
  void unknownAndReplacedTokensAreRefused(Store store) throws Exception {
    EnrolmentTokens tokens = tokens(store.make());
    IssuedToken first = tokens.issue("hv07", Duration.ofHours(1));
    IssuedToken second = tokens.issue("hv07", Duration.ofHours(1));

    rejected(
        () -> tokens.redeem(first.secret(), "hv07"),
        Reason.UNKNOWN,
        "enrolment token presented by \"hv07\" is not one that was issued");
    rejected(() -> tokens.redeem("x".repeat(1000), "hv07"), Reason.UNKNOWN, null);
    rejected(() -> tokens.redeem(null, "hv07"), Reason.UNKNOWN, null);
    assertThat(tokens.open()).extracting(TokenRecord::name).containsExactly("hv07");
    assertThat(tokens.cancel("hv07")).isTrue();
    rejected(() -> tokens.redeem(second.secret(), "hv07"), Reason.UNKNOWN, null);
  }

  @Test
  void tokensOutliveARestartInAnOwnerOnlyFileHoldingNoSecret() throws Exception {
    Path dir = temp.resolve("restart");
    IssuedToken token = tokens(new FileTokenStore(dir)).issue("hv07", Duration.ofHours(24));
    Path file = dir.resolve("enrolment-tokens");

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    assertThat(Files.readString(file)).contains("hv07 ").doesNotContain(token.secret());

    EnrolmentTokens restarted = tokens(new FileTokenStore(dir));
    restarted.redeem(token.secret(), "hv07");
    rejected(
        () -> tokens(new FileTokenStore(dir)).redeem(token.secret(), "hv07"),
        Reason.ALREADY_REDEEMED,
        null);
  }

  @Test
  void fileOthersMayWriteIsRefused() throws Exception {
    Path dir = temp.resolve("open");
    tokens(new FileTokenStore(dir)).issue("hv07", Duration.ofHours(24));
    Files.setPosixFilePermissions(
        dir.resolve("enrolment-tokens"), PosixFilePermissions.fromString("rw-rw-rw-"));

    assertThatThrownBy(() -> tokens(new FileTokenStore(dir)).open())
        .isInstanceOf(TrustFileException.class)
        .hasMessageContaining("mode 0666");
  }

  @Test
  void recordsAreForgottenAWeekAfterTheyExpire() throws Exception {
    InMemoryTokenStore store = new InMemoryTokenStore();
    EnrolmentTokens tokens = tokens(store);
    tokens.issue("hv07", Duration.ofHours(1));
    now.set(NOW.plus(Duration.ofDays(8)));

    tokens.issue("hv08", Duration.ofHours(1));

    assertThat(store.load()).extracting(TokenRecord::name).containsExactly("hv08");
  }

  private static void rejected(ThrowingCallable call, Reason reason, String message) {
    var thrown =
        assertThatThrownBy(call)
            .isInstanceOfSatisfying(
                TokenRejectedException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    if (message != null) {
      thrown.hasMessage(message);
    }
  }
}
