package dev.mtls.core.internal.crl;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CRLs fetched with an HTTP GET. The body may be PEM or DER. Redirects are not followed (a
 * CRL URL that redirects, possibly to another scheme, is a failure naming the status), and
 * the whole exchange, body included, is bounded by the fetch timeout.
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
  public byte[] read() throws IOException {
    HttpRequest request = HttpRequest.newBuilder(url)
        .GET()
        .timeout(timeout)
        .header("Accept", "application/pkix-crl, application/x-pem-file, */*")
        .build();
    HttpClient http = client;
    if (http == null) {
      throw new IOException("closed");
    }
    CompletableFuture<HttpResponse<byte[]>> pending =
        http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
    HttpResponse<byte[]> response;
    try {
      // get(..) bounds the body too, which HttpRequest.timeout alone does not
      response = pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw new IOException("no complete answer within " + timeout, e);
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while fetching");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IOException("GET failed: " + cause, cause);
    }
    if (response.statusCode() != 200) {
      throw new IOException("GET answered HTTP status " + response.statusCode()
          + response.headers().firstValue("Location").map(l -> " (redirect to " + l
              + ", not followed)").orElse(""));
    }
    byte[] body = response.body();
    if (body.length > CrlParser.MAX_BYTES) {
      throw new IOException("body is " + body.length + " bytes, more than the limit of "
          + CrlParser.MAX_BYTES + " for a CRL");
    }
    return body;
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
