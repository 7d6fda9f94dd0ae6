package dev.mtls.core.internal.tls;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLHandshakeException;

/**
 * Follows the TLS record headers a client sends a server, to refuse a second handshake
 * (renegotiation, RFC 5746) before the provider sees it, on either provider, per connection:
 * the JDK's own switch ({@code jdk.tls.rejectClientInitiatedRenegotiation}) is JVM-wide, and
 * Bouncy Castle answers with a warning and keeps the connection.
 *
 * <p>What it reads: a TLS 1.2 client ends its handshake with ChangeCipherSpec (record type
 * 20) and then Finished, a handshake record (22); any handshake record after that is the hello
 * of a new handshake. In TLS 1.3 every handshake message after the hellos travels in records
 * of type 23, so a TLS 1.3 connection never shows a handshake record after its
 * ChangeCipherSpec and Finished pair: after a HelloRetryRequest the second ClientHello follows
 * the client's ChangeCipherSpec, and counts as the "Finished" here, harmlessly. A client that
 * split its 12-byte Finished over two records (allowed, never seen in practice) would be
 * refused. Record contents are never read, only the five-byte headers.
 *
 * <p>Not thread-safe: one per connection, fed by the one thread that reads its records.
 */
final class ClientRecords {

  private static final int HEADER = 5;
  private static final int CHANGE_CIPHER_SPEC = 20;
  private static final int HANDSHAKE = 22;

  private final byte[] header = new byte[HEADER];
  private int headerRead;
  private int bodyLeft;
  private boolean changeCipherSpec;
  private boolean finished;
  private boolean watching = true;
  private boolean refused;
  private boolean helloRead;

  /**
   * Whether the client has finished its first handshake of TLS 1.2 (TLS 1.3 handshakes are
   * not visible here).
   */
  boolean tls12HandshakeFinished() {
    return finished;
  }

  /**
   * Whether the client's first record (its hello, or the start of it) has been read whole, or
   * what it sent is no TLS record at all (for the provider to refuse).
   */
  boolean helloRead() {
    return helloRead || !watching;
  }

  /**
   * Checks the record that starts at the buffer's position, before an engine reads it
   * (engines read whole records, one at a time).
   *
   * @param next what the engine is about to read; not moved
   * @throws Refused when it is the hello of a second handshake
   */
  void checkNext(ByteBuffer next) throws Refused {
    if (refused || (watching && finished && headerRead == 0 && bodyLeft == 0 && next.hasRemaining()
        && (next.get(next.position()) & 0xff) == HANDSHAKE)) {
      throw refusal();
    }
  }

  /**
   * Follows bytes the client sent, in order.
   *
   * @param bytes the buffer
   * @param offset where they start
   * @param length how many
   * @throws Refused at the header of the hello of a second handshake
   */
  void read(byte[] bytes, int offset, int length) throws Refused {
    if (refused) {
      throw refusal();
    }
    int i = offset;
    int end = offset + length;
    while (watching && i < end) {
      if (bodyLeft > 0) {
        int skipped = Math.min(bodyLeft, end - i);
        bodyLeft -= skipped;
        i += skipped;
        helloRead |= bodyLeft == 0;
      } else {
        header(bytes[i++]);
      }
    }
  }

  /**
   * Follows bytes the client sent, in order: those of a buffer between two positions.
   *
   * @param buffer the buffer; not moved
   * @param from the first byte's index
   * @param to the index after the last byte
   * @throws Refused at the header of the hello of a second handshake
   */
  void read(ByteBuffer buffer, int from, int to) throws Refused {
    if (refused) {
      throw refusal();
    }
    int i = from;
    while (watching && i < to) {
      if (bodyLeft > 0) {
        int skipped = Math.min(bodyLeft, to - i);
        bodyLeft -= skipped;
        i += skipped;
        helloRead |= bodyLeft == 0;
      } else {
        header(buffer.get(i++));
      }
    }
  }

  private Refused refusal() {
    refused = true;
    return new Refused();
  }

  private void header(byte b) throws Refused {
    if (headerRead == 0) {
      int type = b & 0xff;
      if (type < CHANGE_CIPHER_SPEC || type > 24) {
        // Not a TLS record (an SSLv2-style hello, or garbage): the provider refuses it.
        watching = false;
        return;
      }
      if (type == HANDSHAKE && finished) {
        throw refusal();
      }
    }
    header[headerRead++] = b;
    if (headerRead == HEADER) {
      headerRead = 0;
      bodyLeft = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
      helloRead |= bodyLeft == 0;
      int type = header[0] & 0xff;
      if (type == CHANGE_CIPHER_SPEC) {
        changeCipherSpec = true;
      } else if (type == HANDSHAKE && changeCipherSpec) {
        finished = true;
      }
    }
  }

  /** The hello of a second handshake, refused. */
  static final class Refused extends SSLHandshakeException {
    private static final long serialVersionUID = 1L;

    Refused() {
      super("client-initiated renegotiation refused: an mtls server connection does one handshake;"
          + " the connection is closed");
    }
  }
}
