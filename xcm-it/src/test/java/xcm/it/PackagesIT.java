package xcm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * XCM installed as an operator installs it, on this machine: the Debian packages built by {@code
 * packaging/build-packages}, installed with dpkg, their units checked, the coordinator and an agent
 * (on libvirt's test driver) started as their units' ExecStart lines run them, as the xcm user with
 * the configuration in /etc/xcm, the agent enrolled with a one-time token, the cluster read with
 * the installed {@code xcm}; then an upgrade (configuration and state kept), a remove (they stay)
 * and a purge (nothing of XCM left). lintian finds no error in the packages.
 *
 * <p>It changes the machine (a user, /etc/xcm, /var/lib/xcm, dpkg's database) and undoes it: it
 * runs only as root, and only where no XCM package or xcm user is there before it (else it is
 * skipped, saying why, rather than take them away).
 */
class PackagesIT {
  private static final List<String> PACKAGES = List.of("xcm-agent", "xcm-coordinator", "xcm-cli");
  private static final Duration DPKG = Duration.ofMinutes(3);
  @TempDir static Path dir;
  private static Path v1;
  private static Path v2;
  private static final Path LOGS = Jvm.LOGS.resolve("packages");

  @BeforeAll
  static void build() throws Exception {
    Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")), "installing packages needs root");
    Assumptions.assumeTrue(
        !installed("xcm-agent") && !installed("xcm-coordinator") && !installed("xcm-cli"),
        "XCM's packages are installed on this machine already: the test would remove them");
    Assumptions.assumeTrue(
        sh("getent passwd xcm").exitCode() != 0,
        "a user xcm exists on this machine already: the test would remove it");
    v1 = dir.resolve("v1");
    v2 = dir.resolve("v2");
    ok(
        Duration.ofMinutes(5),
        "packaging/build-packages",
        "--out",
        v1.toString(),
        "--version",
        "0.9.0~it1");
    ok(
        Duration.ofMinutes(5),
        "packaging/build-packages",
        "--out",
        v2.toString(),
        "--version",
        "0.9.0~it2");
  }

  @AfterAll
  static void leaveTheMachineAsItWas() throws Exception {
    if (v1 == null) {
      return;
    }
    sh("pkill -KILL -u xcm");
    for (String p : PACKAGES) {
      if (installed(p) || sh("dpkg -s " + p).exitCode() == 0) {
        sh("dpkg -P " + p);
      }
    }
  }

  @Test
  void installedPackagesRunTheClusterUpgradeKeepingItsConfigurationAndPurgeLeavesNothing()
      throws Exception {
    lintianFindsNoError();

    ok(DPKG, "dpkg", "-i", deb(v1, "xcm-cli"), deb(v1, "xcm-coordinator"), deb(v1, "xcm-agent"));
    ok(DPKG, "apt-get", "install", "-f", "-y", "--no-install-recommends");
    for (String p : PACKAGES) {
      assertThat(version(p)).as(p).isEqualTo("0.9.0~it1");
    }
    theFilesAreWhereTheyBelongWithTheirOwnersAndModes();
    theUnitsAreValidAndHardened();

    int jolokia = freePort();
    int enrol = freePort();
    configureCoordinator(jolokia, enrol);
    InstalledService coordinator =
        InstalledService.of("xcm-coordinator.service", LOGS.resolve("coordinator-1.log"));
    InstalledService agent = InstalledService.of("xcm-agent.service", LOGS.resolve("agent-1.log"));
    try (coordinator;
        agent) {
      coordinator.start();
      await("the installed coordinator answers the installed xcm")
          .atMost(60, TimeUnit.SECONDS)
          .until(() -> xcm("status").exitCode() == 0);
      enrolAgent(enrol);
      agent.start();
      awaitActive("hv01");
      // The installed xcm, as ./xcm: its first status wrote a class-data archive (in the user's
      // cache directory) that the next ones start from, without a word from the JVM.
      Path archive = dir.resolve("cache/xcm/cli.jsa");
      assertThat(archive).isNotEmptyFile();
      java.nio.file.attribute.FileTime made = Files.getLastModifiedTime(archive);
      Tools.Result again = xcm("status");
      assertThat(again.exitCode()).as(again.output()).isZero();
      assertThat(again.output()).doesNotContain("[warning]").doesNotContain("CDS");
      assertThat(Files.getLastModifiedTime(archive)).isEqualTo(made);
    }
    String password = Files.readString(Path.of("/etc/xcm/coordinator.password"));

    // Upgrade: the new version comes in over the stopped services (where systemd runs, postinst
    // restarts them), and they start again from the same configuration and state.
    ok(DPKG, "dpkg", "-i", deb(v2, "xcm-cli"), deb(v2, "xcm-coordinator"), deb(v2, "xcm-agent"));
    for (String p : PACKAGES) {
      assertThat(version(p)).as(p).isEqualTo("0.9.0~it2");
    }
    assertThat(Files.readString(Path.of("/etc/xcm/coordinator.properties")))
        .as("the operator's configuration, kept")
        .contains("xcm.coordinator.jolokia.port = " + jolokia);
    assertThat(Files.readString(Path.of("/etc/xcm/coordinator.password"))).isEqualTo(password);
    assertThat(Files.list(Path.of("/etc/xcm")).map(Path::toString).toList())
        .as("no dpkg-dist or dpkg-old copies: nothing asked")
        .noneMatch(f -> f.contains(".dpkg-"));
    try (InstalledService coordinator2 =
            InstalledService.of("xcm-coordinator.service", LOGS.resolve("coordinator-2.log"));
        InstalledService agent2 =
            InstalledService.of("xcm-agent.service", LOGS.resolve("agent-2.log"))) {
      coordinator2.start();
      agent2.start();
      // The agent enrolled once: its key and certificate in /var/lib/xcm/agent/tls bring it back.
      awaitActive("hv01");
    }

    ok(DPKG, "dpkg", "-r", "xcm-agent", "xcm-coordinator", "xcm-cli");
    assertThat(Path.of("/usr/bin/xcm")).doesNotExist();
    assertThat(Path.of("/usr/share/xcm")).doesNotExist();
    assertThat(Path.of("/etc/xcm/coordinator.properties")).as("kept on remove").exists();
    assertThat(Path.of("/var/lib/xcm/coordinator/journal.mv.db")).as("kept on remove").exists();
    assertThat(Path.of("/var/lib/xcm/agent/tls")).as("kept on remove").exists();

    ok(DPKG, "dpkg", "-P", "xcm-agent", "xcm-coordinator", "xcm-cli");
    nothingOfXcmIsLeft();
  }

  private static void lintianFindsNoError() throws Exception {
    Tools.require("lintian", "lintian");
    Tools.Result lintian =
        Tools.run(
            Duration.ofMinutes(5),
            "lintian",
            "--tag-display-limit",
            "0",
            deb(v1, "xcm-agent"),
            deb(v1, "xcm-coordinator"),
            deb(v1, "xcm-cli"));
    System.out.println("PackagesIT: lintian\n" + lintian.output());
    assertThat(lintian.output().lines().filter(l -> l.startsWith("E: ")).toList())
        .as("lintian errors")
        .isEmpty();
  }

  private static void theFilesAreWhereTheyBelongWithTheirOwnersAndModes() throws Exception {
    for (String f : List.of("/usr/bin/xcm", "/usr/bin/xcm-agent", "/usr/bin/xcm-coordinator")) {
      assertThat(Path.of(f)).isExecutable();
    }
    assertThat(sh("dpkg-query --control-show xcm-agent conffiles").output())
        .contains("/etc/xcm/agent.properties", "/etc/xcm/agent.jvm");
    assertThat(sh("dpkg-query --control-show xcm-coordinator conffiles").output())
        .contains("/etc/xcm/coordinator.properties", "/etc/xcm/coordinator.jvm");
    for (String secret : List.of("/etc/xcm/agent.password", "/etc/xcm/coordinator.password")) {
      assertThat(sh("stat -c '%U %G %a' " + secret).output().strip())
          .as(secret)
          .isEqualTo("xcm xcm 600");
      assertThat(Files.readString(Path.of(secret))).as(secret).hasSizeGreaterThanOrEqualTo(24);
    }
    assertThat(sh("stat -c '%U %a' /var/lib/xcm/agent /var/lib/xcm/coordinator").output())
        .isEqualTo("xcm 700\nxcm 700\n");
    String user = sh("getent passwd xcm").output().strip();
    assertThat(user).as("a system user without a login").endsWith(":/usr/sbin/nologin");
    assertThat(Integer.parseInt(user.split(":")[2])).isLessThan(1000);
  }

  private static void theUnitsAreValidAndHardened() throws Exception {
    for (String program : List.of("agent", "coordinator")) {
      String unit = "xcm-" + program + ".service";
      Path file = InstalledService.unitFile(unit);
      // systemd-analyze verify reads the unit offline; it needs no systemd as PID 1.
      Tools.Result verify =
          Tools.run(Duration.ofMinutes(1), "systemd-analyze", "verify", file.toString());
      assertThat(verify.exitCode()).as(unit + ": " + verify.output()).isZero();
      Map<String, String> service = InstalledService.section(file, "Service");
      assertThat(service)
          .as(unit)
          .containsEntry("User", "xcm")
          .containsEntry(
              "ExecStart",
              "/usr/bin/" + "xcm-" + program + " --config /etc/xcm/" + program + ".properties")
          .containsEntry("NoNewPrivileges", "yes")
          .containsEntry("ProtectSystem", "strict")
          .containsEntry("ProtectHome", "yes")
          .containsEntry("PrivateTmp", "yes")
          .containsEntry("StateDirectory", "xcm/" + program)
          .containsEntry("UMask", "0077");
      assertThat(InstalledService.section(file, "Install"))
          .containsEntry("WantedBy", "multi-user.target");
    }
  }

  /** What an operator edits: the ports (the defaults may be taken on a shared machine). */
  private static void configureCoordinator(int jolokia, int enrol) throws IOException {
    edit(
        "/etc/xcm/coordinator.properties",
        "xcm.coordinator.jolokia.port = " + jolokia,
        "xcm.coordinator.metrics.port = " + freePort(),
        "xcm.coordinator.enrol.port = " + enrol);
    edit("/etc/xcm/cli.properties", "url = http://127.0.0.1:" + jolokia + "/jolokia/");
  }

  /** The documented first boot: a token from the coordinator, the authority's certificate. */
  private static void enrolAgent(int enrol) throws Exception {
    Tools.Result token = xcm("hosts", "token", "hv01");
    assertThat(token.exitCode()).as(token.output()).isZero();
    Path file = dir.resolve("enrol.token");
    Files.writeString(file, token.output().strip() + "\n");
    ok(
        Duration.ofSeconds(30),
        "install",
        "-o",
        "xcm",
        "-g",
        "xcm",
        "-m",
        "0600",
        file.toString(),
        "/etc/xcm/enrol.token");
    ok(
        Duration.ofSeconds(30),
        "install",
        "-m",
        "0644",
        "/var/lib/xcm/coordinator/ca/ca.crt",
        "/etc/xcm/ca.crt");
    edit(
        "/etc/xcm/agent.properties",
        "xcm.agent.libvirt-uri = test:///default",
        "xcm.agent.name = hv01",
        // The test driver reports no host UUID; a real host's libvirt does.
        "xcm.agent.host-uuid = " + UUID.randomUUID(),
        "xcm.agent.jolokia.port = " + freePort(),
        "xcm.agent.metrics.port = " + freePort(),
        "xcm.agent.enrol.url = https://127.0.0.1:" + enrol + "/enrol",
        "xcm.agent.enrol.ca-file = /etc/xcm/ca.crt",
        "xcm.agent.enrol.token-file = /etc/xcm/enrol.token",
        "xcm.agent.enrol.key-dir = /var/lib/xcm/agent/tls");
  }

  private static void awaitActive(String host) {
    await(host + " ACTIVE in the installed xcm's status")
        .atMost(90, TimeUnit.SECONDS)
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              Tools.Result status = xcm("status");
              return status.exitCode() == 0
                  && status.output().lines().anyMatch(l -> l.matches(host + "\\s+ACTIVE\\b.*"));
            });
  }

  private static void nothingOfXcmIsLeft() throws Exception {
    assertThat(sh("dpkg -l 'xcm-*' 2>/dev/null | grep '^[a-z][a-z] ' || true").output()).isEmpty();
    assertThat(sh("getent passwd xcm; getent group xcm").output()).isEmpty();
    List<String> left = new ArrayList<>();
    for (String path :
        List.of(
            "/etc/xcm",
            "/var/lib/xcm",
            "/usr/share/xcm",
            "/usr/share/doc/xcm-agent",
            "/lib/systemd/system/xcm-agent.service",
            "/lib/systemd/system/xcm-coordinator.service")) {
      if (Files.exists(Path.of(path))) {
        left.add(path);
      }
    }
    left.addAll(
        sh("find /etc/systemd /var/lib/systemd -name 'xcm-*' 2>/dev/null")
            .output()
            .lines()
            .toList());
    assertThat(left).as("left after purge").isEmpty();
  }

  /** Sets keys in a properties file as an operator would: each key's line replaced, or added. */
  private static void edit(String file, String... lines) throws IOException {
    Path path = Path.of(file);
    List<String> kept = new ArrayList<>();
    for (String line : Files.readAllLines(path)) {
      String key = line.contains("=") ? line.substring(0, line.indexOf('=')).strip() : null;
      boolean replaced = false;
      for (String l : lines) {
        if (key != null && !key.startsWith("#") && l.startsWith(key + " =")) {
          replaced = true;
        }
      }
      if (!replaced) {
        kept.add(line);
      }
    }
    kept.addAll(List.of(lines));
    Files.write(path, kept);
  }

  private static Tools.Result xcm(String... args) throws Exception {
    // From /, as an operator's shell anywhere: the installed /etc/xcm/cli.properties, not the
    // checkout's .xcm/cli.properties. Its cache directory in the test's, not root's home.
    List<String> command =
        new ArrayList<>(
            List.of(
                "bash",
                "-c",
                "cd / && XDG_CACHE_HOME=\"$0\" exec /usr/bin/xcm \"$@\"",
                dir.resolve("cache").toString()));
    command.addAll(List.of(args));
    return Tools.run(Duration.ofSeconds(60), command.toArray(String[]::new));
  }

  private static boolean installed(String pkg) throws Exception {
    return sh("dpkg-query -W -f='${db:Status-Status}' " + pkg + " 2>/dev/null")
        .output()
        .strip()
        .equals("installed");
  }

  private static String version(String pkg) throws Exception {
    return sh("dpkg-query -W -f='${Version}' " + pkg).output().strip();
  }

  private static String deb(Path dir, String pkg) throws IOException {
    try (var files = Files.list(dir)) {
      return files
          .filter(f -> f.getFileName().toString().startsWith(pkg + "_"))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no " + pkg + " package in " + dir))
          .toString();
    }
  }

  private static Tools.Result sh(String script) throws Exception {
    return Tools.run(Duration.ofMinutes(1), "bash", "-c", script);
  }

  private static void ok(Duration timeout, String... command) throws Exception {
    Tools.Result result = Tools.run(timeout, command);
    assertThat(result.exitCode()).as(String.join(" ", command) + ":\n" + result.output()).isZero();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
