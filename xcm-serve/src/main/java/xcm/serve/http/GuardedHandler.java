package xcm.serve.http;

import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * Tells the {@link ConnectionGuard} where each request is: headers in when it reaches the door's
 * handler, body in when its last chunk was read, answered when the handler completed it. Also
 * answers 404 for whatever the door's handler does not take.
 *
 * <p>A handler may answer before it read the whole body (a refusal: too large, wrong token, wrong
 * path). Closing the connection then, with the rest of the body unread, makes the kernel reset it,
 * and a client may lose the answer it was already sent, or reuse the connection for its next
 * request just as it closes. So before the answer starts, the rest of the body is read and dropped
 * — up to {@link #MAX_UNREAD_BYTES}, without holding a thread, within the guard's body timeout —
 * and the connection stays open for the next request. A body larger than that, or one the client
 * waits to send ({@code Expect: 100-continue}), is answered at once with {@code Connection: close}.
 */
final class GuardedHandler extends Handler.Wrapper {
  /** The most of a refused body read and dropped to keep its connection: the fuzzer's 264 KiB. */
  static final long MAX_UNREAD_BYTES = 1 << 20;

  private final ConnectionGuard guard;

  GuardedHandler(ConnectionGuard guard, Handler door) {
    super(door);
    this.guard = guard;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    Exchange exchange = new Exchange(request, response);
    // HTTP/1.1: a request has a body only when it says so, by its length or its transfer coding.
    exchange.bodyDone =
        request.getLength() <= 0 && !request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    guard.headersIn(exchange.network, !exchange.bodyDone);
    Request tracked = exchange.bodyDone ? request : exchange.trackedRequest();
    Callback answered = exchange.answered(callback);
    if (!super.handle(tracked, exchange.trackedResponse(), answered)) {
      exchange.finishBody(() -> Response.writeError(request, response, answered, 404));
    }
    return true;
  }

  /** One request on its way through the door. */
  private final class Exchange {
    final Request request;
    final Response response;
    final Connection network;
    volatile boolean bodyDone;
    volatile boolean answerStarted;

    Exchange(Request request, Response response) {
      this.request = request;
      this.response = response;
      this.network = ConnectionGuard.network(request.getConnectionMetaData().getConnection());
    }

    Request trackedRequest() {
      return new Request.Wrapper(request) {
        @Override
        public Content.Chunk read() {
          Content.Chunk chunk = super.read();
          if (chunk != null && chunk.isLast()) {
            bodyIn();
          }
          return chunk;
        }
      };
    }

    Response trackedResponse() {
      return new Response.Wrapper(request, response) {
        @Override
        public void write(boolean last, ByteBuffer content, Callback callback) {
          if (answerStarted) {
            super.write(last, content, callback);
          } else {
            answerStarted = true;
            finishBody(() -> super.write(last, content, callback));
          }
        }
      };
    }

    Callback answered(Callback callback) {
      return new Callback.Nested(callback) {
        @Override
        public void succeeded() {
          // A handler may complete without writing: Jetty then answers, after this.
          if (answerStarted) {
            done();
          } else {
            answerStarted = true;
            finishBody(this::done);
          }
        }

        private void done() {
          guard.answered(network);
          super.succeeded();
        }

        @Override
        public void failed(Throwable x) {
          guard.answered(network);
          super.failed(x);
        }
      };
    }

    private void bodyIn() {
      if (!bodyDone) {
        bodyDone = true;
        guard.bodyIn(network);
      }
    }

    /**
     * Reads and drops what is left of the body, or marks the connection to close; then {@code
     * then}.
     */
    void finishBody(Runnable then) {
      if (bodyDone) {
        then.run();
        return;
      }
      long length = request.getLength();
      boolean waitsToSend =
          request.getHeaders().contains(HttpHeader.EXPECT, HttpHeaderValue.CONTINUE.asString());
      if (waitsToSend || length > MAX_UNREAD_BYTES) {
        closeAfter(then);
        return;
      }
      new Drain(
              request,
              drained -> {
                if (drained) {
                  bodyIn();
                  then.run();
                } else {
                  closeAfter(then);
                }
              })
          .run();
    }

    private void closeAfter(Runnable then) {
      response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
      then.run();
    }
  }

  /**
   * Reads a request's chunks as they come and drops them until its last ({@code true}), a failure,
   * or {@link #MAX_UNREAD_BYTES} ({@code false}). Never blocks, so Jetty may run it on its
   * selector.
   */
  private static final class Drain implements Invocable.Task {
    private final Request request;
    private final Consumer<Boolean> then;
    private long dropped;

    Drain(Request request, Consumer<Boolean> then) {
      this.request = request;
      this.then = then;
    }

    @Override
    public InvocationType getInvocationType() {
      return InvocationType.NON_BLOCKING;
    }

    @Override
    public void run() {
      while (true) {
        Content.Chunk chunk = request.read();
        if (chunk == null) {
          request.demand(this);
          return;
        }
        dropped += chunk.remaining();
        chunk.release();
        if (Content.Chunk.isFailure(chunk)) {
          then.accept(false);
          return;
        }
        if (chunk.isLast()) {
          then.accept(true);
          return;
        }
        if (dropped > MAX_UNREAD_BYTES) {
          then.accept(false);
          return;
        }
      }
    }
  }
}
