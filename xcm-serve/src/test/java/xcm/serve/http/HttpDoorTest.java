package xcm.serve.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A door on loopback with a handler that reads the body and answers how much it read ({@code /slow}
 * first waits 2 s, {@code /refuse} answers 413 without reading): what the door does with clients
 * that are slow, many or big.
 */
class HttpDoorTest {
  private final List<AutoCloseable> open = new ArrayList<>();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private HttpDoor door(DoorLimits limits) throws IOException {
    Handler handler =
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback)
              throws InterruptedException {
            if (Request.getPathInContext(request).equals("/missing")) {
              return false;
            }
            if (Request.getPathInContext(request).equals("/refuse")) {
              response.setStatus(413);
              response.write(
                  true, BufferUtil.toBuffer("refused".getBytes(StandardCharsets.UTF_8)), callback);
              return true;
            }
            if (Request.getPathInContext(request).equals("/slow")) {
              Thread.sleep(2000);
            }
            byte[] body;
            try {
              body = Request.asInputStream(request).readAllBytes();
            } catch (IOException e) {
              failures.add(e.toString());
              callback.failed(e);
              return true;
            }
            response.write(
                true,
                BufferUtil.toBuffer(("read " + body.length).getBytes(StandardCharsets.UTF_8)),
                callback);
            return true;
          }
        };
    HttpDoor door = HttpDoor.builder("test", handler).limits(limits).tls(Optional.empty()).start();
    open.add(door);
    return door;
  }

  private static DoorLimits limits(
      Duration header, Duration body, int maxConnections, int perAddress) {
    return new DoorLimits(
        1, header, body, Duration.ofSeconds(30), maxConnections, perAddress, 8192);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private <T extends AutoCloseable> T keep(T closeable) {
    open.add(closeable);
    return closeable;
  }

  private HttpResponse<String> get(HttpDoor door, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(door.url(path))).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aClientSendingItsHeadersSlowerThanTheHeaderTimeoutIsDropped() throws Exception {
    HttpDoor door = door(limits(Duration.ofSeconds(1), Duration.ofSeconds(10), 64, 16));
    SlowClients slow =
        keep(SlowClients.open(door.port(), 1, List.of("127.0.0.2"), "GET / HTTP/1.1\r\n"));

    await().atMost(Duration.ofSeconds(5)).until(() -> slow.dropped() >= 1);
    assertThat(door.timedOutConnections()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aClientSendingItsBodySlowerThanTheBodyTimeoutIsDroppedAndFreesItsThread() throws Exception {
    HttpDoor door = door(limits(Duration.ofSeconds(5), Duration.ofSeconds(1), 64, 16));
    RawHttp client = keep(new RawHttp("127.0.0.2", door.port()));
    client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nab");

    long start = System.nanoTime();
    for (int i = 0; i < 10 && !client.closedWithin(300); i++) {
      client.send("c");
    }

    assertThat(client.closedWithin(3000)).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    // The handler learns it a moment after the client.
    await().atMost(Duration.ofSeconds(2)).until(() -> failures.size() == 1);
    // The door's one thread serves again.
    assertThat(get(door, "/").body()).isEqualTo("read 0");
  }

  @Test
  void aKeptAliveConnectionOutlivesTheHeaderTimeoutBetweenRequests() throws Exception {
    HttpDoor door = door(limits(Duration.ofMillis(300), Duration.ofMillis(300), 64, 16));
    RawHttp client = keep(new RawHttp("127.0.0.2", door.port()));

    assertThat(client.get("/").status()).isEqualTo(200);
    assertThat(client.closedWithin(1500)).isFalse();
    assertThat(client.get("/").body()).isEqualTo("read 0");
  }

  @Test
  void aKeptAliveConnectionThatSendsItsNextRequestTooSlowlyIsDropped() throws Exception {
    HttpDoor door = door(limits(Duration.ofSeconds(1), Duration.ofSeconds(10), 64, 16));
    RawHttp client = keep(new RawHttp("127.0.0.2", door.port()));
    assertThat(client.get("/").status()).isEqualTo(200);
    client.send("GET / HTTP/1.1\r\n");

    boolean closed = false;
    for (int i = 0; i < 20 && !closed; i++) {
      client.send("X");
      closed = client.closedWithin(300);
    }

    assertThat(closed).isTrue();
    assertThat(door.timedOutConnections()).isEqualTo(1);
  }

  @Test
  void aRequestBeingAnsweredIsNotDroppedHoweverLongItTakes() throws Exception {
    HttpDoor door = door(limits(Duration.ofMillis(300), Duration.ofMillis(300), 64, 16));

    HttpResponse<String> slow = get(door, "/slow");

    assertThat(slow.statusCode()).isEqualTo(200);
    assertThat(door.timedOutConnections()).isZero();
  }

  @Test
  void connectionsOverTheCapOfOneAddressAreClosedWhileOtherAddressesGetIn() throws Exception {
    HttpDoor door = door(limits(Duration.ofSeconds(30), Duration.ofSeconds(10), 64, 3));
    List<RawHttp> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      held.add(keep(new RawHttp("127.0.0.2", door.port()).send("GET / HTTP/1.1\r\n")));
    }
    RawHttp fourth = keep(new RawHttp("127.0.0.2", door.port()).send("GET / HTTP/1.1\r\n"));

    assertThat(fourth.closedWithin(2000)).isTrue();
    assertThat(door.refusedConnections()).isEqualTo(1);
    for (RawHttp h : held) {
      assertThat(h.closedWithin(10)).isFalse();
    }
    assertThat(get(door, "/").statusCode()).as("from 127.0.0.1").isEqualTo(200);
  }

  @Test
  void anIdleConnectionMakesRoomForTheNextOneFromItsAddress() throws Exception {
    HttpDoor door = door(limits(Duration.ofSeconds(30), Duration.ofSeconds(10), 64, 2));
    RawHttp first = keep(new RawHttp("127.0.0.2", door.port()));
    assertThat(first.get("/").status()).isEqualTo(200);
    RawHttp second = keep(new RawHttp("127.0.0.2", door.port()));
    assertThat(second.get("/").status()).isEqualTo(200);

    RawHttp third = keep(new RawHttp("127.0.0.2", door.port()));

    assertThat(third.get("/").status()).isEqualTo(200);
    assertThat(first.closedWithin(2000)).as("the oldest idle one").isTrue();
    assertThat(second.get("/").status()).isEqualTo(200);
    assertThat(door.refusedConnections()).isZero();
  }

  @Test
  void theDoorsCapCountsEveryAddress() throws Exception {
    HttpDoor door = door(limits(Duration.ofSeconds(30), Duration.ofSeconds(10), 4, 2));
    for (String address : List.of("127.0.0.2", "127.0.0.2", "127.0.0.3", "127.0.0.3")) {
      keep(new RawHttp(address, door.port()).send("GET / HTTP/1.1\r\n"));
    }
    RawHttp fifth = keep(new RawHttp("127.0.0.4", door.port()).send("GET / HTTP/1.1\r\n"));

    assertThat(fifth.closedWithin(2000)).isTrue();
    assertThat(door.refusedConnections()).isEqualTo(1);
  }

  @Test
  void headersOverTheSizeLimitAreRefusedWith431() throws Exception {
    HttpDoor door =
        door(
            new DoorLimits(
                1,
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                64,
                16,
                1024));
    RawHttp client = keep(new RawHttp("127.0.0.2", door.port()));

    RawHttp.Answer answer =
        client.send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(2048) + "\r\n\r\n").read();

    assertThat(answer.status()).isEqualTo(431);
    assertThat(answer.body())
        .isEqualTo("{\"error\":\"Request Header Fields Too Large\",\"status\":431}");
  }

  @Test
  void aPathNoHandlerTakesIsAnswered404InJson() throws Exception {
    HttpDoor door = door(DoorLimits.defaults(1));

    HttpResponse<String> missing = get(door, "/missing");

    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("Content-Type"))
        .hasValue("application/json; charset=utf-8");
  }

  private static String post(String path, int length) {
    return "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + length + "\r\n\r\n";
  }

  @Test
  void aBodyRefusedBeforeItWasReadIsDroppedAndTheConnectionServesTheNextRequest() throws Exception {
    HttpDoor door = door(DoorLimits.defaults(1));
    RawHttp client = keep(new RawHttp("127.0.0.2", door.port()));

    RawHttp.Answer refused = client.send(post("/refuse", 300_000) + "b".repeat(300_000)).read();
    RawHttp.Answer missing = client.send(post("/missing", 70_000) + "m".repeat(70_000)).read();
    RawHttp.Answer next = client.get("/next");

    assertThat(refused.status()).isEqualTo(413);
    assertThat(refused.headers()).doesNotContainIgnoringCase("connection: close");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(next.status()).isEqualTo(200);
    assertThat(next.body()).isEqualTo("read 0");
  }

  @Test
  void aRefusedBodyLargerThanTheDoorDropsIsAnsweredAtOnceAndItsConnectionClosed() throws Exception {
    HttpDoor door = door(DoorLimits.defaults(1));
    RawHttp client = keep(new RawHttp("127.0.0.2", door.port()));

    RawHttp.Answer refused =
        client.send(post("/refuse", (int) GuardedHandler.MAX_UNREAD_BYTES + 1)).read();

    assertThat(refused.status()).isEqualTo(413);
    assertThat(refused.headers()).containsIgnoringCase("connection: close");
    assertThat(client.closedWithin(2000)).isTrue();
  }

  @Test
  void aPooledClientGetsEveryAnswerWhileItsBodiesAreRefusedUnread() throws Exception {
    HttpDoor door = door(DoorLimits.defaults(2));
    HttpRequest refused =
        HttpRequest.newBuilder(URI.create(door.url("/refuse")))
            .timeout(Duration.ofSeconds(5))
            .POST(HttpRequest.BodyPublishers.ofString("r".repeat(200_000)))
            .build();

    for (int i = 0; i < 100; i++) {
      assertThat(http.send(refused, HttpResponse.BodyHandlers.ofString()).statusCode())
          .as("refusal %d", i)
          .isEqualTo(413);
      assertThat(get(door, "/after").statusCode()).as("request after refusal %d", i).isEqualTo(200);
    }
  }
}
