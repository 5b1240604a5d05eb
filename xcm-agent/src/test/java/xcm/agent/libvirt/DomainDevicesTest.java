package xcm.agent.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.xml.stream.XMLStreamException;
import org.junit.jupiter.api.Test;

class DomainDevicesTest {

  @Test
  void disksAreTargetsOfDiskAndLunDevicesButNotCdroms() throws XMLStreamException {
    DomainDevices devices =
        DomainDevices.parse(
            "<domain><devices>"
                + "<disk type='file' device='disk'><source file='/a'/><target dev='vda'/></disk>"
                + "<disk type='block'><target dev='vdb'/></disk>"
                + "<disk type='block' device='lun'><target dev='sdc'/></disk>"
                + "<disk type='file' device='cdrom'><target dev='sda'/></disk>"
                + "<disk type='file' device='floppy'><target dev='fda'/></disk>"
                + "</devices></domain>");

    assertThat(devices.disks()).containsExactly("vda", "vdb", "sdc");
    assertThat(devices.interfaces()).isEmpty();
  }

  @Test
  void interfacesAreTheirTargetOrElseTheirMac() throws XMLStreamException {
    DomainDevices devices =
        DomainDevices.parse(
            "<domain><devices>"
                + "<interface type='network'><mac address='52:54:00:00:00:01'/>"
                + "<target dev='vnet0'/></interface>"
                + "<interface type='user'><mac address='52:54:00:00:00:02'/></interface>"
                + "<interface type='user'/>"
                + "</devices></domain>");

    assertThat(devices.interfaces()).containsExactly("vnet0", "52:54:00:00:00:02");
  }

  @Test
  void externalEntitiesAreNotResolved() {
    assertThatThrownBy(
            () ->
                DomainDevices.parse(
                    "<!DOCTYPE d [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
                        + "<domain><devices><disk><target dev='&x;'/></disk></devices></domain>"))
        .isInstanceOf(XMLStreamException.class);
  }
}
