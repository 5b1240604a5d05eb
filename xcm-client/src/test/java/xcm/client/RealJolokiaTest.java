package xcm.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xcm.client.JolokiaException.Outcome;
import xcm.client.JolokiaException.Refusal;
import xcm.mbeans.Attributes;
import xcm.mbeans.StaleEpochException;
import xcm.mbeans.StandbyException;
import xcm.serve.Grants;
import xcm.serve.JolokiaConfig;
import xcm.serve.JolokiaEndpoint;

/**
 * The outcomes against Jolokia itself, served as XCM serves it (access policy, roles, the status
 * mapping of IllegalArgumentException): what the canned answers of {@link JolokiaClientTest} assume
 * is what Jolokia sends.
 */
class RealJolokiaTest {
  private static final ObjectName CALLEE = name("test:type=Callee");
  private static final ObjectName ELSEWHERE = name("test:type=Elsewhere");

  private MBeanServer server;
  private JolokiaEndpoint jolokia;

  /** The MBean's operations, each throwing what XCM's operations throw. */
  public static final class Callee implements CalleeMXBean {
    @Override
    public String getName() {
      return "callee";
    }

    @Override
    public String echo(String text) {
      return text;
    }

    @Override
    public void refuseArgument(String why) {
      throw new IllegalArgumentException("callee: " + why);
    }

    @Override
    public void refuseState(String why) {
      throw new IllegalStateException("callee: " + why);
    }

    @Override
    public void refuseStale(String why) {
      throw new StaleEpochException("callee: " + why);
    }

    @Override
    public void refuseStandby(String why) {
      throw new StandbyException("callee: " + why);
    }

    @Override
    public void fail(String why) {
      throw new RuntimeException("callee: " + why);
    }
  }

  @BeforeEach
  void start() throws Exception {
    server = MBeanServerFactory.createMBeanServer();
    server.registerMBean(new Callee(), CALLEE);
    server.registerMBean(new Callee(), ELSEWHERE);
    jolokia =
        JolokiaEndpoint.start(
            "client-test",
            "classpath:/xcm/client/test-access.xml",
            new JolokiaConfig(
                "127.0.0.1",
                0,
                "xcm",
                "secret",
                Optional.empty(),
                List.of(
                    new JolokiaConfig.LimitedUser(
                        new JolokiaConfig.Credentials("peer", "peer-secret"),
                        Grants.role("peer").exec(CALLEE, "echo"))),
                JolokiaConfig.DEFAULT_MAX_BODY,
                Optional.empty()));
  }

  @AfterEach
  void stop() {
    jolokia.close();
    MBeanServerFactory.releaseMBeanServer(server);
  }

  private JolokiaClient client(String user, String password) {
    return JolokiaClient.builder()
        .credentials(Credentials.basic(user, password))
        .callee("callee")
        .timeout(Duration.ofSeconds(10))
        .build();
  }

  private JolokiaException call(JolokiaClient client, Request request) {
    try {
      client.send(jolokia.url(), request);
    } catch (JolokiaException e) {
      return e;
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    throw new AssertionError(request + " gave a value");
  }

  @Test
  void valuesAndEveryKindOfAnswerOfARealJolokia() throws Exception {
    JolokiaClient xcm = client("xcm", "secret");
    String url = jolokia.url();

    assertThat(xcm.send(url, Request.exec(CALLEE, "echo", "hi")).asText()).isEqualTo("hi");
    assertThat(
            xcm.send(
                    url,
                    Request.read(
                        CALLEE, Attributes.name(CalleeMXBean.class, CalleeMXBean::getName)))
                .asText())
        .isEqualTo("callee");

    JolokiaException argument = call(xcm, Request.exec(CALLEE, "refuseArgument", "no such"));
    assertThat(argument.refusal()).isEqualTo(Refusal.BAD_REQUEST);
    assertThat(argument).hasMessage("callee: no such");

    JolokiaException state = call(xcm, Request.exec(CALLEE, "refuseState", "busy"));
    assertThat(state.refusal()).isEqualTo(Refusal.NOT_NOW);
    assertThat(state).hasMessage("callee: busy");

    JolokiaException stale = call(xcm, Request.exec(CALLEE, "refuseStale", "epoch 3 < 4"));
    assertThat(stale.outcome()).isEqualTo(Outcome.REFUSED);
    assertThat(stale.refusal()).isEqualTo(Refusal.SUPERSEDED);
    assertThat(stale).hasMessage("callee: epoch 3 < 4");

    JolokiaException standby = call(xcm, Request.exec(CALLEE, "refuseStandby", "coord-a acts"));
    assertThat(standby.refusal()).isEqualTo(Refusal.STANDBY);
    assertThat(standby).hasMessage("callee: coord-a acts");

    JolokiaException failure = call(xcm, Request.exec(CALLEE, "fail", "half-way"));
    assertThat(failure.outcome()).isEqualTo(Outcome.UNKNOWN);
    assertThat(failure)
        .hasMessage("callee at " + url + " answered fail with status 500: callee: half-way");

    JolokiaException noMBean = call(xcm, Request.exec(name("test:type=Nobody"), "echo", "x"));
    assertThat(noMBean.refusal()).isEqualTo(Refusal.NOT_FOUND);
    JolokiaException noAttribute = call(xcm, Request.read(CALLEE, "Nothing"));
    assertThat(noAttribute.outcome()).isEqualTo(Outcome.REFUSED);
    assertThat(noAttribute.refusal().byOperation()).isFalse();
    assertThat(noAttribute)
        .hasMessage(
            "callee at "
                + url
                + " answered a read of test:type=Callee with status 404:"
                + " No such attribute: Nothing");
    JolokiaException noOperation = call(xcm, Request.exec(CALLEE, "nothing", "x"));
    assertThat(noOperation.refusal()).isEqualTo(Refusal.NOT_FOUND);

    JolokiaException policy = call(xcm, Request.exec(ELSEWHERE, "echo", "x"));
    assertThat(policy.refusal()).isEqualTo(Refusal.FORBIDDEN);

    JolokiaException role = call(client("peer", "peer-secret"), Request.exec(CALLEE, "fail", "x"));
    assertThat(role.refusal()).isEqualTo(Refusal.FORBIDDEN);
    assertThat(role).hasMessageStartingWith("callee at " + url + " answered fail with status 403");

    assertThatThrownBy(() -> client("xcm", "wrong").send(url, Request.exec(CALLEE, "echo", "x")))
        .isInstanceOfSatisfying(
            JolokiaException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.FORBIDDEN))
        .hasMessage("callee at " + url + " refused the credentials (HTTP 401)");
  }

  private static ObjectName name(String name) {
    try {
      return ObjectName.getInstance(name);
    } catch (javax.management.MalformedObjectNameException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
