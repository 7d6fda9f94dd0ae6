package dev.mtls.core.internal.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The plain TCP connection under a TLS socket a {@link LayeringServerSocket} accepted: what the
 * TLS provider reads from the client passes through it, so it can hold the client to the
 * context's rules before the provider sees a byte.
 *
 * <ul>
 *   <li>The handshake timeout {@code T}, in two parts, so that a thread is never held longer
 *       than {@code T} by one client and a connection that waited in the application's queue
 *       is judged fairly. The client's hello (its first record) must have arrived within
 *       {@code T} of the accept: a silent or trickling client is closed then, and one found
 *       past that time when the server first reads is closed at once, unless its hello is
 *       there already (bytes waiting are always read). The whole handshake must then complete
 *       within {@code T} of the server's first read. Meanwhile every read waits at most until
 *       the deadline, whatever SO_TIMEOUT the application set (a shorter one of the
 *       application's still applies); at the deadline the connection is closed and the read
 *       fails with a {@link SocketTimeoutException} saying so. The application's SO_TIMEOUT
 *       is kept aside and applies again once the handshake has completed
 *       ({@link #handshakeCompleted()}); {@code getSoTimeout()} always says it.
 *   <li>Renegotiation: the hello of a second handshake from the client closes the connection
 *       ({@link ClientRecords}).
 * </ul>
 */
final class AcceptedConnection extends Socket {
  private final Duration handshakeTimeout;
  private final ClientRecords records = new ClientRecords();
  private volatile long acceptedAt;
  private long startedAt;
  private boolean started;
  private volatile boolean handshaking = true;
  private volatile int applicationTimeout;
  private @Nullable Input input;

  AcceptedConnection(Duration handshakeTimeout) {
    this.handshakeTimeout = handshakeTimeout;
  }

  /** Starts the handshake's clock: to be called once the connection is accepted. */
  void accepted() {
    acceptedAt = System.nanoTime();
  }

  /** Ends the handshake's clock, and gives the application its own SO_TIMEOUT back. */
  void handshakeCompleted() {
    if (handshaking) {
      handshaking = false;
      try {
        super.setSoTimeout(applicationTimeout);
      } catch (SocketException e) {
        // closed meanwhile: nothing to restore
      }
    }
  }

  /** Whether the client finished a TLS 1.2 handshake (a TLS 1.3 one is not visible here). */
  boolean tls12HandshakeFinished() {
    return records.tls12HandshakeFinished();
  }

  /** Keeps the application's timeout; during the handshake, the deadline applies as well. */
  @Override
  public void setSoTimeout(int timeout) throws SocketException {
    if (timeout < 0) {
      throw new IllegalArgumentException("timeout < 0: " + timeout);
    }
    applicationTimeout = timeout;
    if (!handshaking) {
      super.setSoTimeout(timeout);
    }
  }

  /** The application's timeout, as it set it. */
  @Override
  public int getSoTimeout() {
    return applicationTimeout;
  }

  @Override
  public synchronized InputStream getInputStream() throws IOException {
    if (input == null) {
      input = new Input(super.getInputStream());
    }
    return input;
  }

  private void closeQuietly() {
    try {
      close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  /** What the provider reads: within the deadline while handshaking, and watched for renegotiation. */
  private final class Input extends InputStream {
    private final InputStream in;

    Input(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
      int n = handshaking ? readBeforeDeadline(bytes, offset, length) : in.read(bytes, offset, length);
      if (n > 0) {
        try {
          records.read(bytes, offset, n);
        } catch (ClientRecords.Refused e) {
          closeQuietly();
          throw e;
        }
      }
      return n;
    }

    private int readBeforeDeadline(byte[] bytes, int offset, int length) throws IOException {
      long now = System.nanoTime();
      if (!started) {
        started = true;
        startedAt = now;
      }
      boolean hello = !records.helloRead();
      while (true) {
        long left = (hello ? acceptedAt : startedAt) + handshakeTimeout.toNanos() - now;
        if (left <= 0) {
          if (hello && in.available() > 0) {
            return in.read(bytes, offset, length); // there already: the client was on time, the server late
          }
          closeQuietly();
          throw new SocketTimeoutException("the client did not complete its TLS handshake within "
              + handshakeTimeout.toMillis() + " ms (the context's handshake timeout); the connection is closed");
        }
        int leftMillis = (int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(left) + 1);
        int application = applicationTimeout;
        boolean applicationFirst = application > 0 && application < leftMillis;
        AcceptedConnection.super.setSoTimeout(applicationFirst ? application : leftMillis);
        try {
          return in.read(bytes, offset, length);
        } catch (SocketTimeoutException e) {
          if (applicationFirst) {
            throw e; // the application's own timeout, as without the deadline
          }
          if (!handshaking) {
            // The handshake completed on another thread meanwhile: the application's timeout now.
            AcceptedConnection.super.setSoTimeout(applicationTimeout);
            return in.read(bytes, offset, length);
          }
          now = System.nanoTime(); // the deadline: said, and the connection closed, above
        }
      }
    }

    @Override
    public int available() throws IOException {
      return in.available();
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
