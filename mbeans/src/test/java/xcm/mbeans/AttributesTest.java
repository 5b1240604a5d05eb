package xcm.mbeans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import java.util.Arrays;
import javax.management.MBeanAttributeInfo;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class AttributesTest {

  @Test
  void getterReferencesGiveTheAttributeNamesJmxPublishes() throws Exception {
    assertThat(Attributes.name(HostMXBean.class, HostMXBean::getCpus)).isEqualTo("Cpus");
    assertThat(Attributes.name(HostMXBean.class, HostMXBean::isStale)).isEqualTo("Stale");
    assertThat(Attributes.name(HostMXBean.class, HostMXBean::getCpuUtilisation))
        .isEqualTo("CpuUtilisation");
    assertThat(
            Attributes.names(
                HostOperationsMXBean.class,
                HostOperationsMXBean::getMigrations,
                HostOperationsMXBean::getMigrations))
        .containsExactly("Migrations", "Migrations");

    // JMX names a platform MXBean's attributes by the same rule.
    assertThat(
            Arrays.stream(
                    ManagementFactory.getPlatformMBeanServer()
                        .getMBeanInfo(new ObjectName(ManagementFactory.RUNTIME_MXBEAN_NAME))
                        .getAttributes())
                .map(MBeanAttributeInfo::getName))
        .contains(
            Attributes.name(RuntimeMXBean.class, RuntimeMXBean::getUptime),
            Attributes.name(RuntimeMXBean.class, RuntimeMXBean::isBootClassPathSupported));
  }

  @Test
  void anOperationIsNoAttribute() {
    assertThatThrownBy(
            () -> Attributes.name(HostOperationsMXBean.class, HostOperationsMXBean::sampleNow))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("HostOperationsMXBean.sampleNow is not an attribute's getter");
    assertThatThrownBy(() -> Attributes.name(HostMXBean.class, host -> "Cpus"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the getter calls no method of xcm.mbeans.HostMXBean");
  }
}
