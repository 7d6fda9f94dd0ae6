package dev.mtls.core.internal.crl;

import java.io.IOException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Where the bytes of one or several CRLs come from: a file or an HTTP(S) URL. Reading is
 * blocking I/O and happens only at start, in the background and at a reload, never during a
 * lookup.
 */
public interface CrlSource extends AutoCloseable {

  /**
   * Reads the current content, never holding more than {@code maxBytes} of it: a larger
   * source fails as soon as that is known (from its size or announced length, else once one
   * byte past the limit has arrived).
   *
   * @param maxBytes the most bytes the content may have
   * @return the raw bytes, PEM or DER
   * @throws IOException when the content cannot be read or is too large; the message says why
   *     in words (for URLs it includes the HTTP status)
   */
  byte[] read(long maxBytes) throws IOException;

  /**
   * The file this source reads, for error messages that name it.
   *
   * @return the file, or {@code null} for a URL
   */
  @Nullable Path file();

  /**
   * The file name or URL, as it appears in messages and events.
   *
   * @return the description
   */
  String describe();

  /** Releases what the source holds (an HTTP client, its threads); reading fails after. Idempotent. */
  @Override
  default void close() {}
}
