package dev.mtls.core.internal.crl;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Flow;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CRLs fetched with an HTTP GET. The body may be PEM or DER. Redirects are not followed (a
 * CRL URL that redirects, possibly to another scheme, is a failure naming the status), and
 * the whole exchange, body included, is bounded by the fetch timeout. The body is streamed
 * into memory up to the size limit and no further: a body announced larger is refused before
 * it is read, and one that turns out larger is cut off one chunk past the limit.
 *
 * <p>The HTTP client runs on an executor of this source's own, whose daemon threads ({@value
 * #THREAD_PREFIX}N) end a few seconds after a fetch. {@link #close()} shuts both down: on JDK
 * 21 and later the client is closed, which ends its selector thread; on JDK 17, which has no
 * {@code HttpClient.close()}, the client is let go, and its selector thread ends once the
 * client has been garbage collected.
 */
public final class UrlCrlSource implements CrlSource {
  /** The prefix of the names of the HTTP client's executor threads. */
  static final String THREAD_PREFIX = "mtls-crl-http-";

  private static final Logger log = LoggerFactory.getLogger(UrlCrlSource.class);
  private static final AtomicInteger THREAD_IDS = new AtomicInteger();
  private static final long IDLE_THREAD_SECONDS = 5;

  private final URI url;
  private final Duration timeout;
  private final ExecutorService executor;
  private volatile @Nullable HttpClient client;

  /**
   * Creates the source.
   *
   * @param url an http or https URL
   * @param timeout the limit for connecting and for the whole exchange
   */
  public UrlCrlSource(URI url, Duration timeout) {
    this.url = Objects.requireNonNull(url, "url");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    // Unbounded like the client's own default executor (its tasks are short and must never be
    // refused), but with threads that end when idle.
    this.executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_THREAD_SECONDS, TimeUnit.SECONDS,
        new SynchronousQueue<>(), runnable -> {
          Thread thread = new Thread(runnable, THREAD_PREFIX + THREAD_IDS.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
    this.client = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(timeout)
        .executor(executor)
        .build();
  }

  @Override
  public byte[] read(long maxBytes) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(url)
        .GET()
        .timeout(timeout)
        .header("Accept", "application/pkix-crl, application/x-pem-file, */*")
        .build();
    HttpClient http = client;
    if (http == null) {
      throw new IOException("closed");
    }
    AtomicReference<@Nullable LimitedBody> body = new AtomicReference<>();
    CompletableFuture<HttpResponse<byte[]>> pending = http.sendAsync(request, info -> {
      if (info.statusCode() != 200) {
        return HttpResponse.BodySubscribers.replacing(new byte[0]);
      }
      LimitedBody subscriber = new LimitedBody(maxBytes, info.headers().firstValueAsLong("Content-Length").orElse(-1));
      body.set(subscriber);
      return subscriber;
    });
    HttpResponse<byte[]> response;
    try {
      // get(..) bounds the body too, which HttpRequest.timeout alone does not: a server that
      // trickles its answer a byte at a time is cut off at the fetch timeout
      response = pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      cancel(pending, body.get());
      LimitedBody partial = body.get();
      throw new IOException("no complete answer within " + timeout
          + (partial == null ? " (no response headers)" : " (" + partial.received() + " bytes of the body received)"), e);
    } catch (InterruptedException e) {
      cancel(pending, body.get());
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while fetching");
    } catch (ExecutionException e) {
      cancel(pending, body.get());
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof HttpTimeoutException && !(cause instanceof HttpConnectTimeoutException)) {
        // the request's own timeout, which ends at the headers, came before get(..)'s
        throw new IOException("no complete answer within " + timeout + " (no response headers)", cause);
      }
      for (Throwable c = cause; c != null; c = c.getCause()) {
        if (c instanceof TooLarge tooLarge) { // the client may wrap what the body said
          throw new IOException(tooLarge.getMessage(), tooLarge);
        }
      }
      throw new IOException("GET failed: " + cause, cause);
    }
    if (response.statusCode() != 200) {
      throw new IOException("GET answered HTTP status " + response.statusCode()
          + response.headers().firstValue("Location").map(l -> " (redirect to " + l
              + ", not followed)").orElse(""));
    }
    return response.body();
  }

  private static void cancel(CompletableFuture<?> pending, @Nullable LimitedBody body) {
    if (body != null) {
      body.cancel();
    }
    pending.cancel(true);
  }

  /** A body over the limit: said in words, with the limit and its setting. */
  private static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(String message) {
      super(message);
    }
  }

  /**
   * Collects a body of at most {@code maxBytes}: refused at once when its announced length is
   * larger, else as soon as one byte more has arrived, and nothing more is read then.
   */
  private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
    private static final int INITIAL = 64 * 1024;

    private final long maxBytes;
    private final long announced;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private volatile Flow.@Nullable Subscription subscription;
    private byte[] buffer;
    private volatile int size;

    LimitedBody(long maxBytes, long announced) {
      this.maxBytes = maxBytes;
      this.announced = announced;
      this.buffer = new byte[(int) Math.min(announced >= 0 ? announced : INITIAL, Math.min(maxBytes, INITIAL * 16L))];
    }

    int received() {
      return size;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      if (announced > maxBytes) {
        subscription.cancel();
        result.completeExceptionally(new TooLarge("the server announces a body of " + announced
            + " bytes, more than the limit of " + maxBytes + " bytes for a CRL source"
            + " (Revocation.Builder.maxCrlSize); nothing was read"));
        return;
      }
      subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer item : items) {
        int length = item.remaining();
        if (size + (long) length > maxBytes) {
          Flow.Subscription current = subscription;
          if (current != null) {
            current.cancel();
          }
          result.completeExceptionally(new TooLarge("the body is more than the limit of " + maxBytes
              + " bytes for a CRL source (Revocation.Builder.maxCrlSize); stopped reading there"));
          return;
        }
        if (size + length > buffer.length) {
          long grown = Math.max((long) size + length, Math.min(maxBytes, buffer.length * 2L));
          buffer = Arrays.copyOf(buffer, (int) grown);
        }
        item.get(buffer, size, length);
        size += length;
      }
      Flow.Subscription current = subscription;
      if (current != null) {
        current.request(1);
      }
    }

    @Override
    public void onError(Throwable failure) {
      result.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
      result.complete(size == buffer.length ? buffer : Arrays.copyOf(buffer, size));
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    void cancel() {
      Flow.Subscription current = subscription;
      if (current != null) {
        current.cancel();
      }
      result.cancel(false);
    }
  }

  /** Closes the HTTP client (JDK 21+) or lets it go (JDK 17), and ends the executor's threads. */
  @Override
  public void close() {
    HttpClient http = client;
    client = null;
    if (http instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        log.debug("closing the HTTP client for {} failed", url, e);
      }
    }
    executor.shutdownNow();
  }

  @Override
  public @Nullable Path file() {
    return null;
  }

  @Override
  public String describe() {
    return url.toString();
  }

  @Override
  public String toString() {
    return "UrlCrlSource[" + url + "]";
  }
}
