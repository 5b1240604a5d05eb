package xcm.serve.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 connection from a chosen loopback address, written and read byte by byte as a client
 * (or an attacker) would: for what an ordinary client cannot do, such as keeping a connection open
 * between requests on purpose or sending a body slowly.
 */
public final class RawHttp implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  /** A response: its status and body. */
  public record Answer(int status, String headers, String body) {}

  public RawHttp(String localAddress, int port) throws IOException {
    socket = new Socket();
    socket.bind(new InetSocketAddress(localAddress, 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
    socket.setSoTimeout(10_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  public RawHttp send(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
    return this;
  }

  /** A GET of {@code path} that keeps the connection open. */
  public Answer get(String path) throws IOException {
    send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    return read();
  }

  /** Reads one response with a Content-Length (as the doors send them). */
  public Answer read() throws IOException {
    String head = line();
    if (head == null) {
      throw new IOException("closed by the server before an answer");
    }
    int status = Integer.parseInt(head.split(" ")[1]);
    StringBuilder headers = new StringBuilder();
    int length = 0;
    for (String line; (line = line()) != null && !line.isEmpty(); ) {
      headers.append(line).append('\n');
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(lower.substring(15).strip());
      }
    }
    byte[] body = in.readNBytes(length);
    return new Answer(status, headers.toString(), new String(body, StandardCharsets.UTF_8));
  }

  /**
   * True when the server closed the connection within {@code millis}: the stream ends (after
   * whatever the server still sent) or is reset.
   */
  public boolean closedWithin(long millis) throws IOException {
    long deadline = System.currentTimeMillis() + millis;
    while (System.currentTimeMillis() < deadline) {
      socket.setSoTimeout((int) Math.max(1, deadline - System.currentTimeMillis()));
      try {
        if (in.read() < 0) {
          return true;
        }
      } catch (SocketTimeoutException stillOpen) {
        return false;
      } catch (IOException reset) {
        return true;
      }
    }
    return false;
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b; (b = in.read()) >= 0; ) {
      if (b == '\n') {
        return line.toString(StandardCharsets.US_ASCII).stripTrailing();
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
