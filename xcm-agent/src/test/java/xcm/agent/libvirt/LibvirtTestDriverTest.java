package xcm.agent.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import xcm.agent.Fixtures;
import xcm.mbeans.DomainState;

/** The libvirt implementation on libvirt's built-in test driver, checked against virsh too. */
class LibvirtTestDriverTest extends HypervisorContract {

  @Override
  protected Hypervisor open() throws HypervisorException {
    return LibvirtHypervisor.open(Fixtures.LAB01);
  }

  @Test
  void valuesMatchWhatVirshReportsForTheSameUri() throws Exception {
    Map<String, DomainStats> domains =
        hypervisor.readDomains().stream()
            .map(DomainStats.class::cast)
            .collect(Collectors.toMap(DomainStats::name, Function.identity()));

    for (String name : new String[] {"web01", "db01", "off01", "web,01=\"x\":y"}) {
      Map<String, String> dominfo = virshDominfo(name);
      DomainStats stats = domains.get(name);
      assertThat(stats.uuid()).isEqualTo(dominfo.get("UUID"));
      assertThat(stats.vcpus()).isEqualTo(Integer.parseInt(dominfo.get("CPU(s)")));
      assertThat(stats.maxMemoryBytes() / 1024)
          .isEqualTo(Long.parseLong(dominfo.get("Max memory").replace(" KiB", "")));
      assertThat(stats.memoryBytes() / 1024)
          .isEqualTo(Long.parseLong(dominfo.get("Used memory").replace(" KiB", "")));
      assertThat(stats.state().name().toLowerCase().replace("shutoff", "shut off"))
          .isEqualTo(dominfo.get("State"));
    }
  }

  @Test
  void eachConnectionToAFileUriHasItsOwnCopyOfTheNode() throws HypervisorException {
    hypervisor.defineDomain(
        Fixtures.domainXml("private01", "bbbbbbbb-0000-4000-8000-000000000009", 128, 1));

    try (Hypervisor other = open()) {
      assertThat(other.readDomains()).extracting(DomainReading::name).doesNotContain("private01");
    }
  }

  @Test
  void unreachableUriFailsNamingTheUriAndLibvirtsReason() {
    assertThatThrownBy(() -> LibvirtHypervisor.open("test:///no/such/node.xml"))
        .isInstanceOf(HypervisorUnavailableException.class)
        .hasMessageStartingWith("cannot connect to libvirt at test:///no/such/node.xml: ")
        .hasMessageContaining("/no/such/node.xml");
    assertThatThrownBy(() -> LibvirtHypervisor.open("bogus+unix:///x"))
        .isInstanceOf(HypervisorUnavailableException.class)
        .hasMessageStartingWith("cannot connect to libvirt at bogus+unix:///x: ");
  }

  @Test
  void testDriverCannotStartADomainPausedSoItStaysShutOff() throws HypervisorException {
    // libvirt: "unsupported flags (0x1) in function testDomainCreateWithFlags".
    assertThat(hypervisor.startDomainPaused("off01")).isFalse();
    assertThat(hypervisor.domainState("off01")).isEqualTo(DomainState.SHUTOFF);
  }

  @Test
  void liveXmlOfARunningDomainDefinesItOnAnotherHost() throws HypervisorException {
    String xml = hypervisor.domainXml("web01");

    try (Hypervisor other = LibvirtHypervisor.open(Fixtures.testUri("lab02.xml"))) {
      assertThat(other.defineDomain(xml)).isEqualTo("web01");
      other.startDomain("web01");
      DomainStats copy =
          other.readDomains().stream()
              .filter(d -> d.name().equals("web01"))
              .map(DomainStats.class::cast)
              .findFirst()
              .orElseThrow();
      assertThat(copy.uuid()).isEqualTo("aaaaaaaa-0000-4000-8000-000000000001");
      assertThat(copy.state()).isEqualTo(DomainState.RUNNING);
      assertThat(copy.maxMemoryBytes()).isEqualTo(2048L * 1024 * 1024);
    }
  }

  @Test
  void theAutostartFlagIsReadAtEverySample() throws Exception {
    LibvirtConnection connection = LibvirtConnection.open(Fixtures.LAB01);
    try {
      HostReader reader = new HostReader(connection);
      connection.onDomain(
          "db01",
          "set autostart of",
          domain -> {
            domain.setAutostart(true);
            return null;
          });

      Map<String, Boolean> autostart =
          reader.readDomains().stream()
              .map(DomainStats.class::cast)
              .collect(Collectors.toMap(DomainStats::name, DomainStats::autostart));

      assertThat(autostart).containsEntry("db01", true).containsEntry("web01", false);
    } finally {
      connection.close();
    }
  }

  @Test
  void testDriverCannotTellFreeMemory() throws HypervisorException {
    assertThat(hypervisor.capacity().freeMemoryBytes()).isEqualTo(-1);
  }

  private static Map<String, String> virshDominfo(String domain)
      throws IOException, InterruptedException {
    Process virsh =
        new ProcessBuilder("virsh", "-c", Fixtures.LAB01, "dominfo", "--domain", domain)
            .redirectErrorStream(true)
            .start();
    String out = new String(virsh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(virsh.waitFor()).as(out).isZero();
    return out.lines()
        .filter(l -> l.contains(":"))
        .collect(
            Collectors.toMap(
                l -> l.substring(0, l.indexOf(':')).trim(),
                l -> l.substring(l.indexOf(':') + 1).trim(),
                (a, b) -> a));
  }
}
