package dev.mtls.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;

/** In-memory PKCS#12 key stores made with the JDK's own PKCS12 implementation. */
final class KeyStores {
  /** The alias of the key entry in {@link IssuedCertificate#keyStore(char[])}. */
  static final String IDENTITY_ALIAS = "identity";

  /** The alias of the certificate entry in {@link TestCa#trustStore()}. */
  static final String ROOT_ALIAS = "root";

  private KeyStores() {}

  static KeyStore trustStore(X509Certificate root) {
    try {
      KeyStore store = empty();
      store.setCertificateEntry(ROOT_ALIAS, root);
      return store;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "cannot make a trust store for " + root.getSubjectX500Principal() + ": " + e, e);
    }
  }

  static KeyStore keyStore(PrivateKey key, List<X509Certificate> chain, char[] password) {
    try {
      KeyStore store = empty();
      store.setKeyEntry(IDENTITY_ALIAS, key, password, chain.toArray(new Certificate[0]));
      return store;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "cannot make a key store for " + chain.get(0).getSubjectX500Principal() + ": " + e, e);
    }
  }

  static byte[] toBytes(KeyStore store, char[] password) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      store.store(out, password);
      return out.toByteArray();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot encode PKCS#12 key store: " + e, e);
    }
  }

  private static KeyStore empty() throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new IllegalStateException("cannot initialise an empty PKCS12 key store", e);
    }
    return store;
  }
}
