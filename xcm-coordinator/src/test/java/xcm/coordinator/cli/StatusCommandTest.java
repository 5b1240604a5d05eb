package xcm.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class StatusCommandTest {
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void summaryIsATableWithTotalsAndTheAgentsThatNeverJoined() throws Exception {
    String cluster =
        "{\"Hosts\":["
            + "{\"name\":\"dmz01\",\"state\":\"ACTIVE\",\"url\":\"http://127.0.0.1:8781/jolokia/\","
            + "\"domains\":8,\"activeDomains\":7,\"cpus\":16,\"memoryBytes\":34359738368,"
            + "\"memoryUsedBytes\":24159191040,\"cpuUtilisation\":0.3125,\"lastSampleAgeSeconds\":1.25,"
            + "\"missedRounds\":0},"
            + "{\"name\":\"dmz02\",\"state\":\"UNREACHABLE\",\"url\":\"http://127.0.0.1:8782/jolokia/\","
            + "\"domains\":0,\"activeDomains\":0,\"cpus\":16,\"memoryBytes\":34359738368,"
            + "\"memoryUsedBytes\":0,\"cpuUtilisation\":0,\"lastSampleAgeSeconds\":130,\"missedRounds\":4}],"
            + "\"HostCount\":2,\"ActiveHostCount\":1,\"DomainCount\":8,\"ActiveDomainCount\":7,"
            + "\"MemoryBytes\":34359738368,\"MemoryUsedBytes\":24159191040,\"CpuUtilisation\":0.3125,"
            + "\"PendingAgents\":[\"http://10.0.0.9:8778/jolokia/: does not answer: connection refused\"]}";

    assertThat(StatusCommand.summary(json.readTree(cluster)))
        .isEqualTo(
            String.join(
                "\n",
                "HOST   STATE        DOMAINS  ACTIVE  MEMORY USED        OF  CPU  SAMPLE AGE  AGENT",
                "dmz01  ACTIVE             8       7     22.5 GiB  32.0 GiB  31%       1.3 s  http://127.0.0.1:8781/jolokia/",
                "dmz02  UNREACHABLE        0       0          0 B  32.0 GiB   0%       2 min  http://127.0.0.1:8782/jolokia/",
                "TOTAL  1/2 active         8       7     22.5 GiB  32.0 GiB  31%",
                "not joined: http://10.0.0.9:8778/jolokia/: does not answer: connection refused",
                ""));
  }

  @Test
  void detailListsEveryDomainOfTheHost() throws Exception {
    String host =
        "{\"Name\":\"dmz01\",\"State\":\"ACTIVE\",\"Cpus\":16,\"MemoryBytes\":34359738368,"
            + "\"MemoryUsedBytes\":3221225472,\"CpuUtilisation\":0.05,\"Url\":\"http://h/jolokia/\","
            + "\"LastError\":\"\",\"Domains\":["
            + "{\"name\":\"db01\",\"uuid\":\"u-1\",\"state\":\"RUNNING\",\"vcpus\":4,"
            + "\"memoryBytes\":2147483648,\"cpuUtilisation\":0.125,\"blockReadBytes\":1536,"
            + "\"blockWriteBytes\":0,\"networkReceiveBytes\":1048576,\"networkTransmitBytes\":10},"
            + "{\"name\":\"web,01\",\"uuid\":\"u-2\",\"state\":\"SHUTOFF\",\"vcpus\":1,"
            + "\"memoryBytes\":1073741824,\"cpuUtilisation\":0,\"blockReadBytes\":0,"
            + "\"blockWriteBytes\":0,\"networkReceiveBytes\":0,\"networkTransmitBytes\":0}]}";

    assertThat(StatusCommand.detail(json.readTree(host)))
        .isEqualTo(
            String.join(
                "\n",
                "dmz01  ACTIVE  16 CPUs, 3.0 GiB of 32.0 GiB used, CPU 5%  agent http://h/jolokia/",
                "DOMAIN  STATE    VCPUS   MEMORY  CPU  DISK READ  DISK WRITTEN   NET IN  NET OUT  UUID",
                "db01    RUNNING      4  2.0 GiB  13%    1.5 KiB           0 B  1.0 MiB     10 B  u-1",
                "web,01  SHUTOFF      1  1.0 GiB   0%        0 B           0 B      0 B      0 B  u-2",
                ""));
  }
}
