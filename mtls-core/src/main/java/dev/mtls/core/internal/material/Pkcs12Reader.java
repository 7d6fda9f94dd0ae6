package dev.mtls.core.internal.material;

import dev.mtls.core.MaterialLimits;
import dev.mtls.core.MtlsLoadException;
import dev.mtls.core.internal.SafeText;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.UnrecoverableKeyException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Opens PKCS#12 files with the JDK's own {@code PKCS12} key store, so that keys and
 * certificates come back as JDK objects, and turns its failures into messages naming the file.
 */
final class Pkcs12Reader {
  private Pkcs12Reader() {}

  /**
   * Reads and opens a PKCS#12 file.
   *
   * @param what what the file should hold, for messages
   * @param file the file
   * @param password the store password (an empty array for a store without one)
   * @param limits the limits of the source reading it
   * @return the opened store
   * @throws MtlsLoadException naming the file: unreadable, empty, too large, not PKCS#12,
   *     wrong password
   */
  static KeyStore read(String what, Path file, char[] password, MaterialLimits limits) {
    byte[] bytes = MaterialFiles.read(what, file, limits);
    KeyStore store;
    try {
      store = KeyStore.getInstance("PKCS12");
    } catch (KeyStoreException e) {
      throw new IllegalStateException("the JDK has no PKCS12 key store", e);
    }
    try {
      store.load(new ByteArrayInputStream(bytes), password);
    } catch (EOFException e) {
      throw new MtlsLoadException(what, file, "not a readable PKCS#12 file: it ends before its"
          + " content does (cut short or still being written?)", e);
    } catch (IOException e) {
      if (e.getCause() instanceof UnrecoverableKeyException) {
        throw new MtlsLoadException(what, file, password.length == 0
            ? "the PKCS#12 file is protected by a password, but none was given"
            : "wrong password for the PKCS#12 file", e);
      }
      throw new MtlsLoadException(what, file,
          "not a readable PKCS#12 file (" + e.getMessage() + ")", e);
    } catch (GeneralSecurityException e) {
      throw new MtlsLoadException(what, file,
          "not a readable PKCS#12 file (" + e.getMessage() + ")", e);
    } catch (RuntimeException e) {
      // The JDK's key store trips over some malformed files with unchecked exceptions: an
      // authenticated safe without content, for one, is a NullPointerException (JDK 17 to 25)
      throw new MtlsLoadException(what, file, "not a readable PKCS#12 file (" + e + ")", e);
    }
    return store;
  }

  /**
   * The aliases of a store, each with the kind of entry it holds, for messages.
   *
   * @param store an opened store
   * @return such as {@code ["identity (private key)", "ca (trusted certificate)"]}
   */
  static List<String> describeEntries(KeyStore store) throws KeyStoreException {
    List<String> entries = new ArrayList<>();
    for (String alias : Collections.list(store.aliases())) {
      String kind = store.isKeyEntry(alias)
          ? "private key"
          : store.isCertificateEntry(alias) ? "trusted certificate" : "other";
      entries.add(SafeText.printable(alias) + " (" + kind + ")");
    }
    Collections.sort(entries);
    return entries;
  }
}
