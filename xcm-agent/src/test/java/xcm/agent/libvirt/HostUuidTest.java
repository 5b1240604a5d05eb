package xcm.agent.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import xcm.agent.Fixtures;

/**
 * The host's libvirt UUID, {@code <capabilities><host><uuid>}: what libvirt's test driver reports
 * (none, as virsh shows too) and what a real host's capabilities give.
 */
class HostUuidTest {

  /** The start of what QEMU's driver reports on a real machine (libvirt 9), trimmed. */
  private static final String QEMU_CAPABILITIES =
      """
      <capabilities>

        <host>
          <uuid>4DEA22B3-1D52-D8F3-2516-782E98AB3FA0</uuid>
          <cpu>
            <arch>x86_64</arch>
            <model>Skylake-Client-IBRS</model>
          </cpu>
          <secmodel>
            <model>none</model>
            <doi>0</doi>
          </secmodel>
        </host>

        <guest>
          <os_type>hvm</os_type>
          <arch name='x86_64'>
            <emulator>/usr/bin/qemu-system-x86_64</emulator>
          </arch>
        </guest>

      </capabilities>
      """;

  @Test
  void libvirtsTestDriverReportsNoHostUuidAndTheErrorNamesTheUri() throws Exception {
    for (String uri : new String[] {"test:///default", Fixtures.LAB01}) {
      assertThat(virshCapabilities(uri)).contains("<host>").doesNotContain("<uuid>");
      try (Hypervisor hypervisor = LibvirtHypervisor.open(uri)) {
        assertThatThrownBy(hypervisor::hostUuid)
            .isInstanceOf(HypervisorException.class)
            .hasMessage(
                uri
                    + ": libvirt reports no host UUID (<capabilities><host><uuid>); set host_uuid"
                    + " in libvirtd.conf where the machine has no SMBIOS UUID");
      }
    }
  }

  @Test
  void aRealHostsUuidIsReadInLowerCase() throws HypervisorException {
    assertThat(HostCapabilities.hostUuid("qemu:///system", QEMU_CAPABILITIES))
        .isEqualTo(UUID.fromString("4dea22b3-1d52-d8f3-2516-782e98ab3fa0"));
    assertThat(HostCapabilities.hostUuid("qemu:///system", QEMU_CAPABILITIES).toString())
        .isEqualTo("4dea22b3-1d52-d8f3-2516-782e98ab3fa0");
  }

  @Test
  void onlyTheUuidDirectlyUnderHostCounts() throws HypervisorException {
    String elsewhere =
        "<capabilities><guest><uuid>11111111-1111-1111-1111-111111111111</uuid></guest>"
            + "<host><cpu><uuid>22222222-2222-2222-2222-222222222222</uuid></cpu>"
            + "<uuid>33333333-3333-3333-3333-333333333333</uuid></host></capabilities>";

    assertThat(HostCapabilities.hostUuid("qemu:///system", elsewhere))
        .isEqualTo(UUID.fromString("33333333-3333-3333-3333-333333333333"));
  }

  @Test
  void aUuidThatIsNotOneIsRefusedNamingTheUri() {
    assertThatThrownBy(
            () ->
                HostCapabilities.hostUuid(
                    "qemu:///system",
                    "<capabilities><host><uuid>1-2-3-4-5</uuid></host></capabilities>"))
        .isInstanceOf(HypervisorException.class)
        .hasMessage(
            "qemu:///system: libvirt's host UUID '1-2-3-4-5' is not a UUID (8-4-4-4-12 hex"
                + " digits)");
  }

  @Test
  void xmlWithADoctypeIsNotReadAndNoEntityIsFetched() {
    String hostile =
        "<?xml version='1.0'?><!DOCTYPE capabilities [<!ENTITY id SYSTEM"
            + " 'file:///etc/hostname'>]><capabilities><host><uuid>&id;</uuid></host>"
            + "</capabilities>";

    assertThatThrownBy(() -> HostCapabilities.hostUuid("qemu:///system", hostile))
        .isInstanceOf(HypervisorException.class)
        .hasMessageStartingWith("qemu:///system: unreadable host capabilities XML: ");
  }

  @Test
  void otherXmlIsNotCapabilities() {
    assertThatThrownBy(
            () -> HostCapabilities.hostUuid("qemu:///system", "<domain><uuid>x</uuid></domain>"))
        .isInstanceOf(HypervisorException.class)
        .hasMessage("qemu:///system: not libvirt capabilities XML: its root element is <domain>");
  }

  private static String virshCapabilities(String uri) throws Exception {
    Process virsh =
        new ProcessBuilder("virsh", "-c", uri, "capabilities").redirectErrorStream(true).start();
    String out = new String(virsh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(virsh.waitFor()).as(out).isZero();
    return out;
  }
}
