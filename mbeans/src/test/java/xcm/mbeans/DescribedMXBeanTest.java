package xcm.mbeans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class DescribedMXBeanTest {

  @Description("A counter for tests")
  public interface CounterMXBean {
    @Description("Current value")
    long getValue();

    @Description("True once the value passed ten")
    boolean isLarge();

    @Description("Adds to the value and returns the new value")
    long add(@Param(name = "amount", value = "how much to add") long amount);
  }

  public interface UndescribedMXBean {
    long getValue();
  }

  static final class Counter implements CounterMXBean {
    private long value;

    @Override
    public long getValue() {
      return value;
    }

    @Override
    public boolean isLarge() {
      return value > 10;
    }

    @Override
    public long add(long amount) {
      return value += amount;
    }
  }

  @Test
  void mbeanInfoCarriesTheInterfaceDescriptionsAndParameterNames() throws Exception {
    MBeanServer server = MBeanServerFactory.newMBeanServer();
    ObjectName name = new ObjectName("test:type=Counter");
    server.registerMBean(DescribedMXBean.of(new Counter(), CounterMXBean.class), name);

    MBeanInfo info = server.getMBeanInfo(name);

    assertThat(info.getDescription()).isEqualTo("A counter for tests");
    assertThat(Arrays.stream(info.getAttributes()))
        .extracting(MBeanAttributeInfo::getName, MBeanAttributeInfo::getDescription)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("Value", "Current value"),
            org.assertj.core.groups.Tuple.tuple("Large", "True once the value passed ten"));
    MBeanOperationInfo add = info.getOperations()[0];
    assertThat(add.getDescription()).isEqualTo("Adds to the value and returns the new value");
    assertThat(add.getSignature()[0].getName()).isEqualTo("amount");
    assertThat(add.getSignature()[0].getDescription()).isEqualTo("how much to add");
    assertThat(server.invoke(name, "add", new Object[] {12L}, new String[] {"long"}))
        .isEqualTo(12L);
    assertThat(server.getAttribute(name, "Large")).isEqualTo(true);
  }

  @Test
  void mbeansOfOneImplementationClassShareOneMBeanInfo() throws Exception {
    MBeanServer server = MBeanServerFactory.newMBeanServer();
    ObjectName first = new ObjectName("test:type=Counter,name=first");
    ObjectName second = new ObjectName("test:type=Counter,name=second");
    server.registerMBean(DescribedMXBean.of(new Counter(), CounterMXBean.class), first);
    server.registerMBean(DescribedMXBean.of(new Counter(), CounterMXBean.class), second);

    assertThat(server.getMBeanInfo(second)).isSameAs(server.getMBeanInfo(first));
    server.invoke(first, "add", new Object[] {12L}, new String[] {"long"});
    assertThat(server.getAttribute(first, "Value")).isEqualTo(12L);
    assertThat(server.getAttribute(second, "Value")).isEqualTo(0L);
  }

  @Test
  void interfaceWithoutDescriptionsIsRefusedNamingTheMethod() {
    assertThatThrownBy(() -> DescribedMXBean.of(() -> 1L, UndescribedMXBean.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith("UndescribedMXBean.getValue has no @Description");
  }

  @Test
  void everyXcmMXBeanInterfaceIsFullyDescribed() {
    for (Class<?> mxbean :
        new Class<?>[] {
          HostMXBean.class,
          DomainMXBean.class,
          HostOperationsMXBean.class,
          ClusterMXBean.class,
          ClusterHostMXBean.class,
          OperationsMXBean.class,
          OperationMXBean.class
        }) {
      assertThat(mxbean.getAnnotation(Description.class)).as(mxbean.getName()).isNotNull();
      for (var method : mxbean.getMethods()) {
        assertThat(method.getAnnotation(Description.class))
            .as(mxbean.getSimpleName() + "." + method.getName())
            .isNotNull();
        for (var parameter : method.getParameters()) {
          assertThat(parameter.getAnnotation(Param.class))
              .as(mxbean.getSimpleName() + "." + method.getName() + " parameter")
              .isNotNull();
        }
      }
    }
  }
}
