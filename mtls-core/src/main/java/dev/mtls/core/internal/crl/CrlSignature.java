package dev.mtls.core.internal.crl;

import dev.mtls.core.internal.BouncyCastle;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.operator.ContentVerifier;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.jspecify.annotations.Nullable;

/**
 * One CRL's signature and what is known of it: which keys it verified with, at load or at a
 * lookup, so that each key is tried once and a lookup with a key that verified before (the same
 * anchor or intermediate object, handshake after handshake) verifies nothing. {@link IndexedCrl}
 * holds one; this is its signature state, apart from its entries.
 */
final class CrlSignature {
  private final IndexedCrl.SignedPart signed;
  // verified at load with the key of a certificate of its issuer the context knows
  private volatile boolean verifiedAtLoad;
  // by encoded key: the same key reaches here as the JDK's and as Bouncy Castle's objects,
  // whose hash codes differ
  private final ConcurrentHashMap<KeyBytes, Boolean> byKey = new ConcurrentHashMap<>(4);
  // the key that last verified, compared by identity first: the verifier passes the same
  // anchor and intermediate certificate objects handshake after handshake
  private volatile @Nullable PublicKey lastGoodKey;
  private final AtomicInteger checks = new AtomicInteger();

  CrlSignature(IndexedCrl.SignedPart signed) {
    this.signed = signed;
  }

  /** Whether it was verified at load with the key of a certificate of the issuer the context knows. */
  boolean verifiedAtLoad() {
    return verifiedAtLoad;
  }

  /** Verifies with a key at load, remembering the key; see {@link IndexedCrl#verifyAtLoad}. */
  boolean verifyAtLoad(PublicKey key) {
    KeyBytes bytes = new KeyBytes(key);
    Boolean known = byKey.get(bytes);
    if (known == null) {
      checks.incrementAndGet();
      known = verify(key);
      byKey.putIfAbsent(bytes, known);
    }
    if (known) {
      lastGoodKey = key;
      verifiedAtLoad = true;
    }
    return known;
  }

  /**
   * Takes over what is known of an earlier load's signature when both cover the same signed
   * bytes with the same signature; see {@link IndexedCrl#adoptChecksOf}.
   */
  boolean adoptChecksOf(CrlSignature earlier) {
    IndexedCrl.SignedPart mine = signed;
    IndexedCrl.SignedPart theirs = earlier.signed;
    if (!Arrays.equals(mine.signature(), theirs.signature())
        || !mine.algorithm().equals(theirs.algorithm())
        || !Arrays.equals(mine.der(), mine.tbsOffset(), mine.tbsOffset() + mine.tbsLength(),
            theirs.der(), theirs.tbsOffset(), theirs.tbsOffset() + theirs.tbsLength())) {
      return false;
    }
    byKey.putAll(earlier.byKey);
    lastGoodKey = earlier.lastGoodKey;
    verifiedAtLoad = earlier.verifiedAtLoad;
    return true;
  }

  /** Whether some key has verified it. */
  boolean isVerified() {
    return byKey.containsValue(Boolean.TRUE);
  }

  /** The keys that verified it, possibly none. */
  List<PublicKey> verifiedKeys() {
    List<PublicKey> keys = new ArrayList<>(2);
    byKey.forEach((key, valid) -> {
      if (valid) {
        keys.add(key.key());
      }
    });
    return keys;
  }

  /** How many signature verifications were made. */
  int checks() {
    return checks.get();
  }

  /**
   * Whether the key signed it: from memory when the key was tried before, else verified once;
   * {@code onForged} runs once, when a key is first found not to verify.
   */
  boolean isSignedBy(PublicKey key, Runnable onForged) {
    if (key == lastGoodKey) {
      return true;
    }
    KeyBytes bytes = new KeyBytes(key);
    Boolean known = byKey.get(bytes);
    if (known == null) {
      known = byKey.computeIfAbsent(bytes, k -> {
        checks.incrementAndGet();
        boolean valid = verify(key);
        if (!valid) {
          onForged.run();
        }
        return valid;
      });
    }
    if (known) {
      lastGoodKey = key;
    }
    return known;
  }

  /** Whether the other carries byte for byte the same signature, so the same signed content. */
  boolean sameAs(CrlSignature other) {
    return Arrays.equals(signed.signature(), other.signed.signature());
  }

  private boolean verify(PublicKey key) {
    try {
      ContentVerifier verifier = new JcaContentVerifierProviderBuilder()
          .setProvider(BouncyCastle.PROVIDER)
          .build(key)
          .get(signed.algorithm());
      verifier.getOutputStream().write(signed.der(), signed.tbsOffset(), signed.tbsLength());
      return verifier.verify(signed.signature());
    } catch (OperatorCreationException | java.io.IOException | RuntimeException e) {
      // a key of another algorithm than the signature's, or an unusable key: either way
      // this key did not sign this CRL
      return false;
    }
  }

  /** A public key compared by its encoding, keeping the key object for verifications. */
  private static final class KeyBytes {
    private final PublicKey key;
    private final byte @Nullable [] encoded;
    private final int hash;

    KeyBytes(PublicKey key) {
      this.key = key;
      // a key without an encoding (a hardware token's, say) is only equal to itself
      this.encoded = key.getEncoded();
      this.hash = encoded == null ? System.identityHashCode(key) : Arrays.hashCode(encoded);
    }

    PublicKey key() {
      return key;
    }

    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof KeyBytes that
          && (encoded == null || that.encoded == null ? key == that.key : Arrays.equals(encoded, that.encoded));
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
