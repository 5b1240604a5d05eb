package xcm.coordinator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanMainTest {
  private static final String SNAPSHOT =
      """
      {"hosts":[
        {"name":"h1","state":"ACTIVE","memoryBytes":17179869184,"reservedMemoryBytes":0,"cpus":8},
        {"name":"h2","state":"ACTIVE","memoryBytes":17179869184,"reservedMemoryBytes":0,"cpus":8}],
       "domains":[
        {"name":"vm1","host":"h1","state":"RUNNING","memoryBytes":4294967296,"vcpus":2,"cpuUtilisation":0.5},
        {"name":"vm2","host":"h1","state":"RUNNING","memoryBytes":4294967296,"vcpus":2,"cpuUtilisation":0.5},
        {"name":"vm3","host":"h1","state":"RUNNING","memoryBytes":4294967296,"vcpus":2,"cpuUtilisation":0.5},
        {"name":"vm4","host":"h1","state":"RUNNING","memoryBytes":4294967296,"vcpus":2,"cpuUtilisation":0.5}]}
      """;

  @TempDir Path dir;

  private record Result(int status, String out, String err) {}

  private Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = PlanMain.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Result(status, out.toString(), err.toString());
  }

  private String snapshot(String json) throws IOException {
    Path file = dir.resolve("cluster.json");
    Files.writeString(file, json);
    return file.toString();
  }

  @Test
  void printsTheDomainCountPlanAsATable() throws IOException {
    Result result = run("--snapshot", snapshot(SNAPSHOT), "--policy", "domain-count");

    assertThat(result.status()).isZero();
    assertThat(result.err()).isEmpty();
    assertThat(result.out())
        .startsWith(
            "plan: domain-count (score: domains-above-target)\n"
                + "#  domain  from  to  before    after     reason\n"
                + "1  vm1     h1    h2  1.000000  0.000000  h1 holds 4 domains, above the target of 3;"
                + " h2 holds 0\n"
                + "moves: 1, lower bound: 1 (minimal), score 1.000000 -> 0.000000, target reached\n")
        .containsPattern("planned in [0-9.]+ ms\n$");
  }

  @Test
  void printsTheWeightedPlanAsJson() throws IOException {
    Result result = run("--snapshot", snapshot(SNAPSHOT), "--json");

    assertThat(result.status()).isZero();
    assertThat(result.out())
        .contains("\"policy\" : \"weighted\"", "\"moveCount\" : 2", "\"lowerBound\" : 2")
        .containsPattern("\"planningMillis\" : [0-9.E-]+");
  }

  @Test
  void plansADrain() throws IOException {
    Result result = run("--snapshot", snapshot(SNAPSHOT), "--drain", "h1", "--strategy", "paper");

    assertThat(result.status()).isZero();
    assertThat(result.out()).startsWith("plan: drain:paper (score: weighted-stddev)\n");
    assertThat(result.out()).contains("moves: 4, lower bound: 4 (minimal)");
  }

  @Test
  void aRefusedDrainExitsThreeWithTheMessage() throws IOException {
    String tight =
        SNAPSHOT.replace(
            "\"name\":\"h2\",\"state\":\"ACTIVE\",\"memoryBytes\":17179869184",
            "\"name\":\"h2\",\"state\":\"ACTIVE\",\"memoryBytes\":8589934592");
    Result result = run("--snapshot", snapshot(tight), "--drain", "h1");

    assertThat(result.status()).isEqualTo(3);
    assertThat(result.out()).isEmpty();
    assertThat(result.err())
        .isEqualTo(
            "xcm plan: cannot drain host \"h1\": 2 of its 4 domains cannot be placed; vm3"
                + " (4096.0 MiB): no room is left once the others are placed: short by 4096.0 MiB,"
                + " the roomiest allowed host h2 has 0.0 MiB free; vm4 (4096.0 MiB): no room is left"
                + " once the others are placed: short by 4096.0 MiB, the roomiest allowed host h2 has"
                + " 0.0 MiB free\n");
  }

  @Test
  void badInputExitsTwoWithOneLineAndNoStackTrace() throws IOException {
    Result missing = run("--snapshot", dir.resolve("nope.json").toString());
    assertThat(missing.status()).isEqualTo(2);
    assertThat(missing.err())
        .isEqualTo("xcm plan: snapshot file " + dir.resolve("nope.json") + " does not exist\n");

    Result badHost =
        run("--snapshot", snapshot(SNAPSHOT.replace("\"host\":\"h1\"", "\"host\":\"h9\"")));
    assertThat(badHost.status()).isEqualTo(2);
    assertThat(badHost.err())
        .startsWith("xcm plan: domain \"vm1\": host \"h9\" is not listed in hosts\n");

    Result badPolicy = run("--snapshot", snapshot(SNAPSHOT), "--policy", "random");
    assertThat(badPolicy.status()).isEqualTo(2);
    assertThat(badPolicy.err())
        .isEqualTo("xcm plan: unknown policy \"random\" (known: domain-count, weighted)\n");

    Result both = run("--snapshot", snapshot(SNAPSHOT), "--policy", "weighted", "--drain", "h1");
    assertThat(both.status()).isEqualTo(2);
    assertThat(both.err())
        .isEqualTo("xcm plan: --policy and --drain exclude each other: choose one\n");

    Result badParameter =
        run("--snapshot", snapshot(SNAPSHOT), "-P", "target=loose", "--policy", "domain-count");
    assertThat(badParameter.status()).isEqualTo(2);
    assertThat(badParameter.err())
        .isEqualTo(
            "xcm plan: policy \"domain-count\": parameter \"target\" must be one of paper, strict,"
                + " found: \"loose\"\n");
  }

  @Test
  void listsThePolicies() {
    Result result = run("--list-policies");

    assertThat(result.status()).isZero();
    assertThat(result.out()).startsWith("domain-count  ").contains("\nweighted  ");
  }
}
