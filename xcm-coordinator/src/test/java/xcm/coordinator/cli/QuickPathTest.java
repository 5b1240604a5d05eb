package xcm.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import xcm.coordinator.Coordinator;
import xcm.coordinator.CoordinatorConfig;
import xcm.coordinator.TestSettings;

/**
 * The quick path parses what picocli would parse into the same fields, and leaves everything else
 * to picocli; a command it runs prints what it prints when picocli runs it.
 */
class QuickPathTest {

  @TempDir Path dir;

  static Stream<List<String>> taken() {
    return Stream.of(
        List.of("status"),
        List.of("status", "--host", "dmz01"),
        List.of("status", "--host=dmz01", "--snapshot"),
        List.of("status", "--url", "http://a/jolokia/,http://b/jolokia/", "--user", "ops"),
        List.of("status", "--password-file", "/etc/xcm/password", "--host", "h"),
        List.of("ops"),
        List.of("ops", "20260101-1"),
        List.of("ops", "--user=monitor", "20260101-1"),
        List.of("migrate", "web01", "dmz02"),
        List.of("migrate", "--no-wait", "web01", "dmz02", "--force"),
        List.of("migrate", "web01", "--no-wait", "--url", "http://c/jolokia/", "dmz02"));
  }

  @ParameterizedTest
  @MethodSource("taken")
  void whatItTakesItParsesAsPicocliDoes(List<String> words) throws IllegalAccessException {
    String[] args = words.toArray(String[]::new);
    Object quick = QuickPath.parse(args);
    Object picocli =
        new CommandLine(new Cli()).parseArgs(args).subcommand().commandSpec().userObject();

    assertThat(quick).isNotNull().hasSameClassAs(picocli);
    assertThat(fields(quick)).isEqualTo(fields(picocli)).isNotEmpty();
  }

  static Stream<List<String>> left() {
    return Stream.of(
        List.of(),
        List.of("status", "--help"),
        List.of("status", "-h"),
        List.of("status", "-V"),
        List.of("status", "--hots", "dmz01"),
        List.of("status", "--host"),
        List.of("status", "--host", "--snapshot"),
        List.of("status", "--host", "-x"),
        List.of("status", "--host="),
        List.of("status", "--host", "a", "--host", "b"),
        List.of("status", "--snapshot", "--snapshot"),
        List.of("status", "--snapshot=true"),
        List.of("status", "dmz01"),
        List.of("status", "--", "--host"),
        List.of("status", "@args"),
        List.of("status", "--host", "@args"),
        List.of("status", "--password-file", "a\0b"),
        List.of("ops", "a", "b"),
        List.of("ops", "-"),
        List.of("migrate", "web01"),
        List.of("migrate", "a", "b", "c"),
        List.of("migrate", "--no-wait", "--no-wait", "a", "b"),
        List.of("migrate", "-f", "a", "b"),
        List.of("balance"),
        List.of("hosts", "token", "hv01"),
        List.of("--help"),
        List.of("Status"));
  }

  @ParameterizedTest
  @MethodSource("left")
  void everythingElseIsLeftToPicocli(List<String> words) {
    assertThat(QuickPath.parse(words.toArray(String[]::new))).isNull();
  }

  @Test
  void aCommandItRunsPrintsWhatItPrintsUnderPicocli() throws Exception {
    MBeanServer server = MBeanServerFactory.createMBeanServer();
    Coordinator coordinator =
        Coordinator.start(
            CoordinatorConfig.load(TestSettings.of(dir.resolve("state"))),
            server,
            new PrometheusRegistry(),
            Clock.systemUTC());
    try {
      String url = coordinator.endpoints().jolokiaUrl();
      List<List<String>> commands =
          List.of(
              List.of("status"),
              List.of("status", "--host", "nosuch"),
              List.of("ops"),
              List.of("ops", "nosuch"),
              List.of("migrate", "web01", "dmz02", "--no-wait"));
      for (List<String> command : commands) {
        String[] args = command.toArray(String[]::new);
        CliRun picocli = CliRun.as(url, dir, "xcm", "operator-secret", args);
        CliRun quick = CliRun.quick(url, dir, "xcm", "operator-secret", args);

        assertThat(quick).as(String.join(" ", command)).isEqualTo(picocli);
      }
      CliRun wrongPassword = CliRun.quick(url, dir, "xcm", "wrong", "status");
      assertThat(wrongPassword.exit()).isEqualTo(1);
      assertThat(wrongPassword.err())
          .isEqualTo(
              "xcm status: coordinator at " + url + " refused the user and password (HTTP 401)\n");
    } finally {
      coordinator.close();
      MBeanServerFactory.releaseMBeanServer(server);
    }
  }

  /** The values of a command's options and parameters, its mixins' included, by field name. */
  private static Map<String, Object> fields(Object command) throws IllegalAccessException {
    Map<String, Object> values = new LinkedHashMap<>();
    List<Field> all = new ArrayList<>();
    for (Class<?> c = command.getClass(); c != Object.class; c = c.getSuperclass()) {
      all.addAll(List.of(c.getDeclaredFields()));
    }
    for (Field field : all) {
      field.setAccessible(true);
      if (field.isAnnotationPresent(Mixin.class)) {
        fields(field.get(command))
            .forEach((name, value) -> values.put(field.getName() + "." + name, value));
      } else if (field.isAnnotationPresent(Option.class)
          || field.isAnnotationPresent(Parameters.class)) {
        values.put(field.getName(), field.get(command));
      }
    }
    return values;
  }
}
