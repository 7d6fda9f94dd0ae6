package dev.mtls.core.internal.reload;

import dev.mtls.core.internal.material.IdentityChecks;
import dev.mtls.core.internal.material.IdentityMaterial;
import dev.mtls.core.internal.material.MaterialLoader;
import dev.mtls.core.internal.tls.IdentityHolder;
import dev.mtls.core.internal.validation.TrustHolder;

import dev.mtls.core.IdentityRequirement;
import dev.mtls.core.Material;
import dev.mtls.core.MtlsListener;
import dev.mtls.core.MtlsLoadException;
import java.nio.file.Path;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reloads a context's own certificate chain and key. Before the swap the new identity must
 * load as a matching pair (the loader checks that), be valid now, lead to the current trust
 * anchors when the first identity did, when asked keep its subject, and meet the adapters'
 * {@link IdentityRequirement}s.
 */
final class IdentityReloadUnit extends ReloadUnit<IdentityMaterial> {
  private final MaterialLoader<IdentityMaterial> loader;
  private final IdentityHolder holder;
  private final @Nullable TrustHolder trust;
  private final Clock clock;
  private final Duration skew;
  private final boolean refuseSubjectChange;

  /**
   * Creates the unit.
   *
   * @param trust the anchors the identity must lead to, or {@code null} when it need not
   */
  IdentityReloadUnit(MaterialLoader<IdentityMaterial> loader, IdentityHolder holder, @Nullable TrustHolder trust,
      FileDigest inUse, Clock clock, Duration skew, boolean refuseSubjectChange, MtlsListener listener) {
    super(Material.IDENTITY, loader.files(), inUse, listener);
    this.loader = loader;
    this.holder = holder;
    this.trust = trust;
    this.clock = clock;
    this.skew = skew;
    this.refuseSubjectChange = refuseSubjectChange;
  }

  @Override
  IdentityMaterial read() {
    IdentityMaterial next = loader.load();
    Path chainFile = files().get(0);
    IdentityChecks.checkValidity(next.leaf(), "certificate", chainFile, clock.instant(), skew);
    if (trust != null) {
      IdentityChecks.checkChainLeadsTo(next, trust.validator().trust(), chainFile);
    }
    if (refuseSubjectChange) {
      checkSameSubject(holder.current().leaf(), next.leaf(), chainFile);
    }
    for (IdentityRequirement requirement : holder.requirements()) {
      Optional<String> problem;
      try {
        problem = requirement.problem(next.chain());
      } catch (RuntimeException e) {
        throw new MtlsLoadException("certificate", chainFile, "an identity requirement failed: " + e, e);
      }
      if (problem.isPresent()) {
        throw new MtlsLoadException("certificate", chainFile, problem.get());
      }
    }
    return next;
  }

  @Override
  Swapped swap(IdentityMaterial next) {
    IdentityMaterial current = holder.swap(next);
    MtlsListener.CertificateSummary before = MtlsListener.CertificateSummary.of(current.leaf());
    MtlsListener.CertificateSummary after = MtlsListener.CertificateSummary.of(next.leaf());
    return new Swapped(before + " -> " + after,
        new MtlsListener.Reloaded(material(), loader.describe(), List.of(before), List.of(after)));
  }

  private static void checkSameSubject(X509Certificate current, X509Certificate next, Path file) {
    boolean sameSubject = current.getSubjectX500Principal().equals(next.getSubjectX500Principal());
    boolean sameNames = Objects.equals(names(current), names(next));
    if (!sameSubject || !sameNames) {
      throw new MtlsLoadException("certificate", file, "the new certificate names a different subject ("
          + next.getSubjectX500Principal() + ", " + names(next) + ") than the one in use ("
          + current.getSubjectX500Principal() + ", " + names(current)
          + "), and the reload policy refuses subject changes");
    }
  }

  /** The subject alternative names as a comparable list (the JDK's collection has no equals). */
  private static List<List<?>> names(X509Certificate certificate) {
    try {
      Collection<List<?>> names = certificate.getSubjectAlternativeNames();
      return names == null ? List.of() : new ArrayList<>(names);
    } catch (CertificateParsingException e) {
      return List.of(List.of("unparseable: " + e.getMessage()));
    }
  }
}
