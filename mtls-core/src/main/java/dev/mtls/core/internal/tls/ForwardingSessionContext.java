package dev.mtls.core.internal.tls;

import java.util.Enumeration;
import java.util.function.Supplier;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import org.jspecify.annotations.Nullable;

/**
 * The server or client session cache of a context's long-lived {@code SSLContext}: reads go
 * to the cache of the inner context in use now; the timeout and size a container sets are
 * remembered and given to every inner context that replaces it, so they survive renewals.
 */
public final class ForwardingSessionContext implements SSLSessionContext {
  private static final int UNSET = -1;

  private final Supplier<SSLSessionContext> current;
  private volatile int timeout = UNSET;
  private volatile int cacheSize = UNSET;

  /**
   * Creates the forwarding cache.
   *
   * @param current the cache of the inner context in use now
   */
  public ForwardingSessionContext(Supplier<SSLSessionContext> current) {
    this.current = current;
  }

  /**
   * Gives a fresh cache the settings made so far; called for every new inner context, both
   * before and after it is put in use (so a setting made meanwhile is not lost).
   *
   * @param fresh the new inner context's cache
   */
  public void applyTo(SSLSessionContext fresh) {
    int seconds = timeout;
    if (seconds != UNSET) {
      fresh.setSessionTimeout(seconds);
    }
    int size = cacheSize;
    if (size != UNSET) {
      fresh.setSessionCacheSize(size);
    }
  }

  @Override
  public @Nullable SSLSession getSession(byte[] sessionId) {
    return current.get().getSession(sessionId);
  }

  @Override
  public Enumeration<byte[]> getIds() {
    return current.get().getIds();
  }

  /** Sets the timeout of the cache in use and of every cache after it. */
  @Override
  public void setSessionTimeout(int seconds) {
    if (seconds < 0) {
      throw new IllegalArgumentException("session timeout < 0: " + seconds);
    }
    timeout = seconds;
    current.get().setSessionTimeout(seconds);
  }

  @Override
  public int getSessionTimeout() {
    return current.get().getSessionTimeout();
  }

  /** Sets the size of the cache in use and of every cache after it. */
  @Override
  public void setSessionCacheSize(int size) {
    if (size < 0) {
      throw new IllegalArgumentException("session cache size < 0: " + size);
    }
    cacheSize = size;
    current.get().setSessionCacheSize(size);
  }

  @Override
  public int getSessionCacheSize() {
    return current.get().getSessionCacheSize();
  }
}
