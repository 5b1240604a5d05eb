package xcm.agent.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import xcm.agent.Fixtures;

class DomainIdentityTest {

  @Test
  void readsNameAndUuidOfTheDomainNotOfItsDevices() throws Exception {
    String xml =
        "<domain type='test'><name>web,01=&quot;x&quot;:y</name>"
            + "<uuid>AAAAAAAA-0000-4000-8000-000000000003</uuid>"
            + "<devices><interface><name>not-me</name></interface></devices></domain>";

    assertThat(DomainIdentity.parse(xml))
        .isEqualTo(new DomainIdentity("web,01=\"x\":y", "aaaaaaaa-0000-4000-8000-000000000003"));
  }

  @Test
  void uuidIsOptional() throws Exception {
    assertThat(DomainIdentity.parse("<domain><name> db01 </name></domain>"))
        .isEqualTo(new DomainIdentity("db01", null));
    assertThat(
            DomainIdentity.parse(
                Fixtures.domainXml("new01", "bbbbbbbb-0000-4000-8000-000000000001", 256, 1)))
        .isEqualTo(new DomainIdentity("new01", "bbbbbbbb-0000-4000-8000-000000000001"));
  }

  @Test
  void xmlThatIsNoDomainIsRefusedSayingWhy() {
    assertThatThrownBy(() -> DomainIdentity.parse(" "))
        .isInstanceOf(InvalidDomainException.class)
        .hasMessage("domain XML is empty");
    assertThatThrownBy(() -> DomainIdentity.parse("<network><name>x</name></network>"))
        .hasMessage("not a domain XML: its root element is <network>");
    assertThatThrownBy(() -> DomainIdentity.parse("<domain><uuid>x</uuid></domain>"))
        .hasMessage("domain XML has no <name>");
    assertThatThrownBy(() -> DomainIdentity.parse("<domain><name>x"))
        .hasMessageStartingWith("unreadable domain XML: ");
  }
}
