package xcm.mbeans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class ObjectNamesTest {

  @Test
  void domainNamesWithJmxMetacharactersAreQuotedAndRoundTrip() throws Exception {
    String name = "web,01=\"x\":y\\z*?";

    ObjectName objectName = ObjectNames.domain(name);

    assertThat(objectName.getDomain()).isEqualTo("xcm");
    assertThat(objectName.getKeyProperty("type")).isEqualTo("Domain");
    assertThat(objectName.isPattern()).isFalse();
    assertThat(ObjectNames.unquote(objectName.getKeyProperty("name"))).isEqualTo(name);
    assertThat(ObjectName.getInstance(objectName.getCanonicalName())).isEqualTo(objectName);
  }

  @Test
  void everyDomainMBeanMatchesTheDomainPattern() {
    assertThat(ObjectNames.allDomains().apply(ObjectNames.domain("a,b"))).isTrue();
    assertThat(ObjectNames.allDomains().apply(ObjectNames.host())).isFalse();
  }

  @Test
  void everyOperationMBeanMatchesTheOperationPatternAndNothingElse() {
    assertThat(ObjectNames.allOperations().apply(ObjectNames.operation("a,b=c"))).isTrue();
    assertThat(ObjectNames.allOperations().apply(ObjectNames.operations())).isFalse();
  }

  @Test
  void fixedNamesAreTheOnesOtherToolsUse() {
    assertThat(ObjectNames.host().getCanonicalName()).isEqualTo("xcm:type=Host");
    assertThat(ObjectNames.hostOperations().getCanonicalName())
        .isEqualTo("xcm:type=HostOperations");
    assertThat(ObjectNames.cluster().getCanonicalName()).isEqualTo("xcm:type=Cluster");
    assertThat(ObjectNames.clusterHost("dmz01").getCanonicalName())
        .isEqualTo("xcm:host=\"dmz01\",type=Cluster");
    assertThat(ObjectNames.operation("42").getCanonicalName())
        .isEqualTo("xcm:id=\"42\",type=Operation");
  }

  @Test
  void emptyNameIsRefusedNamingTheMBeanType() {
    assertThatThrownBy(() -> ObjectNames.domain(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Domain MBean needs a non-empty name");
  }
}
