package xcm.client;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The HTTP side of a {@link JolokiaClient} built {@link JolokiaClient.Builder#blocking()}: each
 * POST on the caller's thread over a connection of its own (HTTP/1.1, {@code Connection: close}),
 * with the JDK's sockets. It starts nothing and loads a few dozen classes, where Jetty's client
 * starts a selector and a thread pool and sets up TLS ahead: 480 of Jetty's classes, 180 of TLS,
 * JMX's platform server (-Xlog:class+load of ./xcm status), and 0.95 s of CPU to start and send one
 * request, of the 2.7 s a whole status took (at a load of 10). The CLI's whole run is now shorter
 * than that start was. Its outcomes are {@link Wire}'s, decided by {@link JolokiaException} from
 * the same {@link Wire.Progress} marks: a request is {@code CONNECTED} once its connection (and TLS
 * handshake) is up and {@code WRITTEN} once it was flushed.
 *
 * <p>{@code timeout} bounds the whole request, the connection's opening included: every read waits
 * only for what is left of it. Thread-safe: it keeps nothing between calls; a call blocks its
 * thread and does not end when the thread is interrupted.
 */
final class SocketWire implements Transport {
  private final Duration connectTimeout;
  private final SSLContext tls;

  /**
   * @param tls whom to trust and what to present over https; null for the JDK's defaults
   */
  SocketWire(Duration connectTimeout, SSLContext tls) {
    this.connectTimeout = connectTimeout;
    this.tls = tls;
  }

  /** Sends and reads on the caller's thread: the future it returns is done. */
  @Override
  public CompletableFuture<Wire.Exchange> post(
      String url, String json, String authorization, String userAgent, Duration timeout) {
    URI uri = URI.create(url);
    boolean https = "https".equalsIgnoreCase(uri.getScheme());
    if (!https && !"http".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("the scheme is not http or https");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("it names no host");
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    byte[] request = request(uri, json.getBytes(StandardCharsets.UTF_8), authorization, userAgent);
    Wire.Progress progress = Wire.Progress.UNCONNECTED;
    Socket connection = new Socket();
    try {
      String host = unbracketed(uri.getHost());
      int port = uri.getPort() >= 0 ? uri.getPort() : https ? 443 : 80;
      connection.connect(
          new InetSocketAddress(host, port),
          (int) Math.min(connectTimeout.toMillis(), remainingMillis(deadline)));
      connection.setTcpNoDelay(true);
      if (https) {
        connection = handshake(connection, host, port, deadline);
      }
      progress = Wire.Progress.CONNECTED;
      OutputStream out = connection.getOutputStream();
      out.write(request);
      out.flush();
      progress = Wire.Progress.WRITTEN;
      return CompletableFuture.completedFuture(read(connection, deadline));
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.completedFuture(new Wire.Exchange(0, null, e, progress));
    } finally {
      try {
        connection.close();
      } catch (IOException e) {
        // The answer is in, or the failure that matters is.
      }
    }
  }

  /** Nothing to stop: no connection outlives its call. */
  @Override
  public void close() {}

  /**
   * The request line, headers and body; no {@code User-Agent} when {@code userAgent} is null, as
   * {@link Wire} sends none.
   */
  private static byte[] request(URI uri, byte[] body, String authorization, String userAgent) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    StringBuilder head = new StringBuilder(256);
    head.append("POST ").append(path);
    if (uri.getRawQuery() != null) {
      head.append('?').append(uri.getRawQuery());
    }
    head.append(" HTTP/1.1\r\nHost: ").append(uri.getHost());
    if (uri.getPort() >= 0) {
      head.append(':').append(uri.getPort());
    }
    head.append("\r\nContent-Type: application/json\r\nContent-Length: ").append(body.length);
    head.append("\r\nConnection: close\r\nAccept-Encoding: identity\r\n");
    if (authorization != null) {
      head.append("Authorization: ").append(authorization).append("\r\n");
    }
    if (userAgent != null) {
      head.append("User-Agent: ").append(userAgent).append("\r\n");
    }
    byte[] lines = head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] request = new byte[lines.length + body.length];
    System.arraycopy(lines, 0, request, 0, lines.length);
    System.arraycopy(body, 0, request, lines.length, body.length);
    return request;
  }

  /**
   * TLS over the connected socket, its handshake done: the server's name checked as Jetty's client
   * checks it ("HTTPS" endpoint identification, which the cluster's trust manager answers itself).
   */
  private Socket handshake(Socket socket, String host, int port, long deadline) throws IOException {
    SSLSocketFactory factory;
    try {
      factory = (tls != null ? tls : SSLContext.getDefault()).getSocketFactory();
    } catch (NoSuchAlgorithmException e) {
      throw new IOException("no TLS: " + e.getMessage(), e);
    }
    SSLSocket ssl = (SSLSocket) factory.createSocket(socket, host, port, true);
    SSLParameters parameters = ssl.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    ssl.setSSLParameters(parameters);
    socket.setSoTimeout(remainingMillis(deadline));
    ssl.startHandshake();
    return ssl;
  }

  /** The answer: its status and body, read by its length, its chunks or to the close. */
  private static Wire.Exchange read(Socket socket, long deadline) throws IOException {
    InputStream in = new BufferedInputStream(new Deadline(socket, deadline));
    int status;
    long length;
    boolean chunked;
    do {
      String[] statusLine = line(in).split(" ", 3);
      if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
        throw new IOException("not an HTTP/1.1 answer: " + String.join(" ", statusLine));
      }
      status = (int) number(statusLine[1], 10, "status");
      length = -1;
      chunked = false;
      for (String header = line(in); !header.isEmpty(); header = line(in)) {
        int colon = header.indexOf(':');
        String name = colon < 0 ? header : header.substring(0, colon).strip();
        String value = colon < 0 ? "" : header.substring(colon + 1).strip();
        if (name.equalsIgnoreCase("Content-Length")) {
          length = number(value, 10, "Content-Length");
        } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
          chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
        }
      }
      // An interim answer (100 Continue) is followed by the real one.
    } while (status >= 100 && status < 200);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (chunked) {
      for (long size = chunk(in); size > 0; size = chunk(in)) {
        copy(in, body, size);
        line(in);
      }
      while (!line(in).isEmpty()) {
        // Trailers, unused.
      }
    } else if (length >= 0) {
      copy(in, body, length);
    } else {
      copy(in, body, Long.MAX_VALUE);
    }
    return new Wire.Exchange(status, body.toByteArray(), null, Wire.Progress.WRITTEN);
  }

  private static long chunk(InputStream in) throws IOException {
    String size = line(in);
    int extension = size.indexOf(';');
    return number(extension < 0 ? size : size.substring(0, extension), 16, "chunk size");
  }

  /** Copies {@code count} bytes, or up to the end when {@code count} is Long.MAX_VALUE. */
  private static void copy(InputStream in, ByteArrayOutputStream body, long count)
      throws IOException {
    byte[] buffer = new byte[8192];
    long left = count;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        if (count == Long.MAX_VALUE) {
          return;
        }
        throw new EOFException("the connection closed before the whole answer");
      }
      if (body.size() + n > Wire.MAX_ANSWER_BYTES) {
        throw new IOException("an answer larger than " + Wire.MAX_ANSWER_BYTES + " bytes");
      }
      body.write(buffer, 0, n);
      left -= n;
    }
  }

  /** One line of the head, without its CR LF; the connection closing first is an error. */
  private static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new EOFException(
            line.isEmpty() ? "the connection closed without an answer" : "a cut answer");
      }
      if (line.length() > 16384) {
        throw new IOException("an answer's header line longer than 16 KB");
      }
      line.append((char) c);
    }
    int end = line.length();
    return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
  }

  private static long number(String text, int radix, String what) throws IOException {
    try {
      long value = Long.parseLong(text.strip(), radix);
      if (value < 0) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IOException("an answer with a bad " + what + ": " + text);
    }
  }

  private static String unbracketed(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /** What is left of the deadline in ms, at least 1; past it, a timeout. */
  private static int remainingMillis(long deadline) throws SocketTimeoutException {
    long left = (deadline - System.nanoTime()) / 1_000_000;
    if (left <= 0) {
      throw new SocketTimeoutException("the request's time is up");
    }
    return (int) Math.min(Integer.MAX_VALUE, left);
  }

  /** A socket's reads, each waiting only for what is left of the request's time. */
  private static final class Deadline extends InputStream {
    private final Socket socket;
    private final InputStream in;
    private final long deadline;

    Deadline(Socket socket, long deadline) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
      this.deadline = deadline;
    }

    @Override
    public int read() throws IOException {
      socket.setSoTimeout(remainingMillis(deadline));
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      socket.setSoTimeout(remainingMillis(deadline));
      return in.read(b, off, len);
    }
  }
}
