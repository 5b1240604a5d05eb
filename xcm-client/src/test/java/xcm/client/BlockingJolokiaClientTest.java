package xcm.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import xcm.mbeans.ObjectNames;

/**
 * {@link JolokiaClientTest}'s outcomes for a client built {@link JolokiaClient.Builder#blocking()}
 * (the CLI's), then the ways an HTTP/1.1 answer may be framed, which the JDK's server in those
 * tests always frames by its length.
 */
class BlockingJolokiaClientTest extends JolokiaClientTest {

  @Override
  JolokiaClient.Builder wire(JolokiaClient.Builder builder) {
    return builder.blocking();
  }

  private volatile String seenHead;

  /** What one connection to a server that answers {@code answer} and closes gives. */
  private String answered(String answer) throws Exception {
    return answered(answer, "");
  }

  /** As {@link #answered(String)}, with {@code userInfo} in the URL. */
  private String answered(String answer, String userInfo) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread callee =
          new Thread(
              () -> {
                try (Socket socket = server.accept()) {
                  seenHead = readRequest(socket.getInputStream());
                  socket.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      callee.start();
      JolokiaClient client =
          JolokiaClient.builder().credentials(Credentials.basic("xcm", "pw")).blocking().build();
      String url = "http://" + userInfo + "127.0.0.1:" + server.getLocalPort() + "/jolokia/?p=1";
      try {
        return client.send(url, Request.read(ObjectNames.cluster(), "HostCount")).toString();
      } finally {
        callee.join();
      }
    }
  }

  /** The head up to its blank line, then as many bytes as its Content-Length says; the head. */
  private static String readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      head.write(in.read());
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    int at = text.indexOf("Content-Length: ") + "Content-Length: ".length();
    in.readNBytes(Integer.parseInt(text.substring(at, text.indexOf('\r', at))));
    return text;
  }

  @Test
  void anAnswerInChunksOrEndedByTheCloseIsReadWhole() throws Exception {
    assertThat(
            answered(
                "HTTP/1.1 100 Continue\r\n\r\n"
                    + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "7\r\n{\"value\r\n"
                    + "10;ext=1\r\n\":3,\"status\":200\r\n"
                    + "1\r\n}\r\n0\r\nTrailer: x\r\n\r\n"))
        .isEqualTo("3");
    assertThat(
            answered(
                "HTTP/1.1 200 OK\r\nContent-Type: text/json\r\n\r\n{\"status\":200,\"value\":4}"))
        .isEqualTo("4");
    assertThat(
            answered(
                "HTTP/1.1 200 OK\r\ncontent-length: 24\r\n\r\n{\"status\":200,\"value\":5}trailing"))
        .isEqualTo("5");
  }

  @Test
  void theRequestNamesItsTargetAndHostAndNeverTheUrlsUserInformation() throws Exception {
    answered(
        "HTTP/1.1 200 OK\r\nContent-Length: 24\r\n\r\n{\"status\":200,\"value\":6}", "u:secret@");

    assertThat(seenHead)
        .startsWith("POST /jolokia/?p=1 HTTP/1.1\r\nHost: 127.0.0.1:")
        .contains("\r\nConnection: close\r\n", "\r\nAuthorization: Basic eGNtOnB3\r\n")
        .doesNotContain("secret", "User-Agent");
  }

  @Test
  void anAnswerCutShortOrNotHttpLeavesTheOutcomeUnknown() {
    assertThatThrownBy(() -> answered("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"status\""))
        .isInstanceOfSatisfying(
            JolokiaException.class,
            e -> assertThat(e.outcome()).isEqualTo(JolokiaException.Outcome.UNKNOWN))
        .hasMessageEndingWith("does not answer: the connection closed before the whole answer");
    assertThatThrownBy(() -> answered("SSH-2.0-OpenSSH_9.2\r\n"))
        .isInstanceOfSatisfying(
            JolokiaException.class,
            e -> assertThat(e.outcome()).isEqualTo(JolokiaException.Outcome.UNKNOWN))
        .hasMessageEndingWith("does not answer: not an HTTP/1.1 answer: SSH-2.0-OpenSSH_9.2");
  }

  @Test
  void aBlockingClientTakesNoExecutor() {
    assertThatThrownBy(
            () ->
                JolokiaClient.builder()
                    .credentials(Credentials.basic("xcm", "pw"))
                    .blocking()
                    .executor(Executors.newSingleThreadExecutor())
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "blocking and executor conflict: a blocking client completes calls on the caller's"
                + " thread");
  }
}
