package dev.mtls.testkit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.jspecify.annotations.Nullable;

/**
 * What a CA certificate made by the testkit carries beyond its defaults: name constraints,
 * extended key usage, a path length limit, certificate policies and policy constraints, and
 * any raw extension (to make odd or malformed CA certificates on purpose). Immutable; made by
 * {@link #builder()}, used by {@link TestCa#newIntermediate(String, CaExtensions)} and {@link
 * TestCa.Builder#extensions(CaExtensions)}.
 *
 * <pre>{@code
 * TestCa issuing = root.newIntermediate("Corp Issuing CA", CaExtensions.builder()
 *     .permittedDnsNames("corp.example")
 *     .excludedDnsNames("secret.corp.example")
 *     .extendedKeyUsages(CaExtensions.CLIENT_AUTH)
 *     .build());
 * }</pre>
 *
 * <p>Without settings ({@link #none()}) a CA certificate has the defaults described at {@link
 * TestCa}. Raw extensions are applied last: one with the OID of a default or of a setting here
 * replaces it, and {@link Builder#omit(String)} leaves one out.
 */
public final class CaExtensions {
  /** The OID of {@code id-kp-serverAuth}, 1.3.6.1.5.5.7.3.1. */
  public static final String SERVER_AUTH = KeyPurposeId.id_kp_serverAuth.getId();
  /** The OID of {@code id-kp-clientAuth}, 1.3.6.1.5.5.7.3.2. */
  public static final String CLIENT_AUTH = KeyPurposeId.id_kp_clientAuth.getId();
  /** The OID of {@code anyExtendedKeyUsage}, 2.5.29.37.0. */
  public static final String ANY_EXTENDED_KEY_USAGE = KeyPurposeId.anyExtendedKeyUsage.getId();

  private static final CaExtensions NONE = builder().build();

  private final List<String> permittedDnsNames;
  private final List<String> excludedDnsNames;
  private final List<String> extendedKeyUsages;
  private final int pathLength;
  private final List<String> policies;
  private final int requireExplicitPolicy;
  private final int inhibitPolicyMapping;
  private final Map<String, RawExtension> raw;
  private final Set<String> omitted;

  private CaExtensions(Builder builder) {
    this.permittedDnsNames = List.copyOf(builder.permittedDnsNames);
    this.excludedDnsNames = List.copyOf(builder.excludedDnsNames);
    this.extendedKeyUsages = List.copyOf(builder.extendedKeyUsages);
    this.pathLength = builder.pathLength;
    this.policies = List.copyOf(builder.policies);
    this.requireExplicitPolicy = builder.requireExplicitPolicy;
    this.inhibitPolicyMapping = builder.inhibitPolicyMapping;
    this.raw = Collections.unmodifiableMap(new LinkedHashMap<>(builder.raw));
    this.omitted = Set.copyOf(builder.omitted);
  }

  /**
   * No extensions beyond the defaults.
   *
   * @return the empty set of settings
   */
  public static CaExtensions none() {
    return NONE;
  }

  /**
   * Returns a new builder.
   *
   * @return a builder with nothing set
   */
  public static Builder builder() {
    return new Builder();
  }

  /** The path length limit, or -1 for none. */
  int pathLength() {
    return pathLength;
  }

  /** Adds these settings to a CA certificate whose defaults are already in {@code builder}. */
  void apply(X509v3CertificateBuilder builder) throws IOException {
    if (!permittedDnsNames.isEmpty() || !excludedDnsNames.isEmpty()) {
      builder.addExtension(Extension.nameConstraints, true,
          new NameConstraints(subtrees(permittedDnsNames), subtrees(excludedDnsNames)));
    }
    if (!extendedKeyUsages.isEmpty()) {
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
          extendedKeyUsages.stream().map(oid -> KeyPurposeId.getInstance(new ASN1ObjectIdentifier(oid)))
              .toArray(KeyPurposeId[]::new)));
    }
    if (!policies.isEmpty()) {
      builder.addExtension(Extension.certificatePolicies, false, new CertificatePolicies(
          policies.stream().map(oid -> new PolicyInformation(new ASN1ObjectIdentifier(oid)))
              .toArray(PolicyInformation[]::new)));
    }
    if (requireExplicitPolicy >= 0 || inhibitPolicyMapping >= 0) {
      // PolicyConstraints ::= SEQUENCE { requireExplicitPolicy [0] SkipCerts OPTIONAL,
      //                                  inhibitPolicyMapping  [1] SkipCerts OPTIONAL }
      ASN1EncodableVector fields = new ASN1EncodableVector();
      if (requireExplicitPolicy >= 0) {
        fields.add(new DERTaggedObject(false, 0, new ASN1Integer(requireExplicitPolicy)));
      }
      if (inhibitPolicyMapping >= 0) {
        fields.add(new DERTaggedObject(false, 1, new ASN1Integer(inhibitPolicyMapping)));
      }
      builder.addExtension(Extension.policyConstraints, true, new DERSequence(fields));
    }
    applyRaw(builder, raw, omitted);
  }

  /** Applies raw extensions (replacing what has their OID) and leaves out the omitted ones. */
  static void applyRaw(X509v3CertificateBuilder builder, Map<String, RawExtension> raw, Set<String> omitted)
      throws IOException {
    for (RawExtension extension : raw.values()) {
      ASN1ObjectIdentifier oid = new ASN1ObjectIdentifier(extension.oid());
      if (builder.hasExtension(oid)) {
        builder.replaceExtension(oid, extension.critical(), extension.value());
      } else {
        builder.addExtension(oid, extension.critical(), extension.value());
      }
    }
    for (String oid : omitted) {
      ASN1ObjectIdentifier identifier = new ASN1ObjectIdentifier(oid);
      if (builder.hasExtension(identifier)) {
        builder.removeExtension(identifier);
      }
    }
  }

  private static GeneralSubtree @Nullable [] subtrees(List<String> dnsNames) {
    if (dnsNames.isEmpty()) {
      return null;
    }
    return dnsNames.stream()
        .map(name -> new GeneralSubtree(new GeneralName(GeneralName.dNSName, name)))
        .toArray(GeneralSubtree[]::new);
  }

  static BasicConstraints basicConstraints(int pathLength) {
    return pathLength >= 0 ? new BasicConstraints(pathLength) : new BasicConstraints(true);
  }

  /** An extension given as its DER-encoded value. */
  record RawExtension(String oid, boolean critical, byte[] value) {
    static RawExtension of(String oid, boolean critical, byte[] value, String what) {
      Objects.requireNonNull(oid, "oid");
      Objects.requireNonNull(value, "derValue");
      if (ASN1ObjectIdentifier.tryFromID(oid) == null) {
        throw new IllegalArgumentException("not an OID in " + what + ": \"" + oid + "\"");
      }
      return new RawExtension(oid, critical, value.clone());
    }
  }

  /** Builds {@link CaExtensions}; every setting is optional. */
  public static final class Builder {
    private final List<String> permittedDnsNames = new ArrayList<>();
    private final List<String> excludedDnsNames = new ArrayList<>();
    private final Set<String> extendedKeyUsages = new LinkedHashSet<>();
    private int pathLength = -1;
    private final Set<String> policies = new LinkedHashSet<>();
    private int requireExplicitPolicy = -1;
    private int inhibitPolicyMapping = -1;
    private final Map<String, RawExtension> raw = new LinkedHashMap<>();
    private final Set<String> omitted = new LinkedHashSet<>();

    private Builder() {}

    /**
     * Adds permitted dNSName subtrees to a critical name constraints extension (RFC 5280,
     * 4.2.1.10): {@code example.com} permits it and every name under it. Written as given,
     * so a malformed form (a leading period) can be made too.
     *
     * @param dnsNames the subtrees
     * @return this builder
     */
    public Builder permittedDnsNames(String... dnsNames) {
      return addAll(permittedDnsNames, dnsNames, "permittedDnsNames");
    }

    /**
     * Adds excluded dNSName subtrees to a critical name constraints extension.
     *
     * @param dnsNames the subtrees
     * @return this builder
     */
    public Builder excludedDnsNames(String... dnsNames) {
      return addAll(excludedDnsNames, dnsNames, "excludedDnsNames");
    }

    /**
     * Adds purposes to a non-critical extended key usage extension: on a CA certificate it
     * constrains what the CA may issue for (as Go, rustls-webpki and the CA/Browser Forum read
     * it).
     *
     * @param oids dotted OIDs, such as {@link #CLIENT_AUTH}
     * @return this builder
     * @throws IllegalArgumentException if one is not an OID
     */
    public Builder extendedKeyUsages(String... oids) {
      Objects.requireNonNull(oids, "oids");
      for (String oid : oids) {
        requireOid(oid, "extendedKeyUsages");
        extendedKeyUsages.add(oid);
      }
      return this;
    }

    /**
     * Limits how many CA certificates may follow this one in a path ({@code pathLenConstraint}
     * of the basic constraints). Default: no limit.
     *
     * @param pathLength zero or more
     * @return this builder
     */
    public Builder pathLength(int pathLength) {
      if (pathLength < 0) {
        throw new IllegalArgumentException("pathLength < 0: " + pathLength);
      }
      this.pathLength = pathLength;
      return this;
    }

    /**
     * Adds certificate policies by OID (without qualifiers).
     *
     * @param oids dotted OIDs, such as {@code 2.23.140.1.2.1} (domain validated)
     * @return this builder
     * @throws IllegalArgumentException if one is not an OID
     */
    public Builder certificatePolicies(String... oids) {
      Objects.requireNonNull(oids, "oids");
      for (String oid : oids) {
        requireOid(oid, "certificatePolicies");
        policies.add(oid);
      }
      return this;
    }

    /**
     * Adds a critical policy constraints extension with {@code requireExplicitPolicy}.
     *
     * @param skipCerts how many certificates below may go without an acceptable policy
     * @return this builder
     */
    public Builder requireExplicitPolicy(int skipCerts) {
      this.requireExplicitPolicy = requireSkipCerts(skipCerts, "requireExplicitPolicy");
      return this;
    }

    /**
     * Adds a critical policy constraints extension with {@code inhibitPolicyMapping}.
     *
     * @param skipCerts how many certificates below may still map policies
     * @return this builder
     */
    public Builder inhibitPolicyMapping(int skipCerts) {
      this.inhibitPolicyMapping = requireSkipCerts(skipCerts, "inhibitPolicyMapping");
      return this;
    }

    /**
     * Adds an extension as its DER-encoded value, replacing a default or a setting with the
     * same OID: a non-critical name constraints extension, basic constraints without {@code
     * cA}, an unknown critical extension.
     *
     * @param oid the extension's dotted OID
     * @param critical whether it is marked critical
     * @param derValue the DER encoding of the extension's value (not of the OCTET STRING around it)
     * @return this builder
     * @throws IllegalArgumentException if {@code oid} is not an OID
     */
    public Builder extension(String oid, boolean critical, byte[] derValue) {
      RawExtension extension = RawExtension.of(oid, critical, derValue, "extension");
      raw.put(extension.oid(), extension);
      return this;
    }

    /**
     * Leaves an extension out, a default included (such as the subject key identifier,
     * 2.5.29.14).
     *
     * @param oid the extension's dotted OID
     * @return this builder
     * @throws IllegalArgumentException if {@code oid} is not an OID
     */
    public Builder omit(String oid) {
      requireOid(oid, "omit");
      omitted.add(oid);
      return this;
    }

    /**
     * Makes the immutable settings.
     *
     * @return the settings
     */
    public CaExtensions build() {
      return new CaExtensions(this);
    }

    private Builder addAll(List<String> target, String[] names, String what) {
      Objects.requireNonNull(names, what);
      for (String name : names) {
        target.add(Objects.requireNonNull(name, what + " element"));
      }
      return this;
    }

    private static void requireOid(String oid, String what) {
      Objects.requireNonNull(oid, what + " element");
      if (ASN1ObjectIdentifier.tryFromID(oid) == null) {
        throw new IllegalArgumentException("not an OID in " + what + ": \"" + oid + "\"");
      }
    }

    private static int requireSkipCerts(int skipCerts, String what) {
      if (skipCerts < 0) {
        throw new IllegalArgumentException(what + " < 0: " + skipCerts);
      }
      return skipCerts;
    }
  }
}
