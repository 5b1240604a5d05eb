package xcm.agent.enrol;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read whole into memory, up to a cap: past it the connection's subscription is
 * cancelled and the body fails, so that a broken or hostile server cannot fill the agent's heap
 * (which belongs to its VMs). The JDK's {@code BodyHandlers.ofByteArray()} has no limit.
 *
 * <p>One instance reads one body; the HTTP client calls it from one thread at a time.
 */
final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
  private final int max;
  private final String what;
  private final CompletableFuture<byte[]> body = new CompletableFuture<>();
  private byte[] buffer = new byte[1024];
  private int length;
  private Flow.Subscription subscription;

  /**
   * @param what the answer's source, for the error
   */
  CappedBody(int max, String what) {
    this.max = max;
    this.what = what;
  }

  static HttpResponse.BodyHandler<byte[]> handler(int max, String what) {
    return info -> new CappedBody(max, what);
  }

  /** A body over the cap. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(String message) {
      super(message);
    }
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return body;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    subscription.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> item) {
    if (body.isDone()) {
      return;
    }
    for (ByteBuffer part : item) {
      int n = part.remaining();
      if (length + (long) n > max) {
        subscription.cancel();
        body.completeExceptionally(
            new TooLarge(what + " answered more than " + max / 1024 + " KiB"));
        return;
      }
      if (length + n > buffer.length) {
        buffer = Arrays.copyOf(buffer, Math.min(max, Math.max(buffer.length * 2, length + n)));
      }
      part.get(buffer, length, n);
      length += n;
    }
  }

  @Override
  public void onError(Throwable failure) {
    body.completeExceptionally(failure);
  }

  @Override
  public void onComplete() {
    body.complete(Arrays.copyOf(buffer, length));
  }
}
