package dev.mtls.core;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.URLConnection;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import org.jspecify.annotations.Nullable;

/**
 * Which Bouncy Castle releases are here, for {@link TlsProvider#BOUNCY_CASTLE}: the release of
 * the bctls jar (its provider says only its own JSSE version, 1.0.x) and of the bcprov jar,
 * and whether that mix is one bctls can run on. Read once per JVM.
 *
 * <p>A release is the {@code Bundle-Version} of the manifest of the jar that defined the class,
 * found through the class's {@link Module} on the module path and through the class's own
 * resource URL on the class path (where the class loader's {@code META-INF/MANIFEST.MF} is the
 * first jar's, not bctls's). A manifest that is not that jar's own ({@code Bundle-SymbolicName}
 * differs, as in a shaded jar) is not believed; bcprov then falls back to what its provider
 * says.
 */
final class BouncyCastleVersions {
  static final String JSSE_PROVIDER = "org.bouncycastle.jsse.provider.BouncyCastleJsseProvider";
  static final String JCE_PROVIDER = "org.bouncycastle.jce.provider.BouncyCastleProvider";

  private static final BouncyCastleVersions FOUND = find();

  private final @Nullable String bctls;
  private final @Nullable String bcprov;
  private final @Nullable Throwable jsseMissing;

  private BouncyCastleVersions(@Nullable String bctls, @Nullable String bcprov, @Nullable Throwable jsseMissing) {
    this.bctls = bctls;
    this.bcprov = bcprov;
    this.jsseMissing = jsseMissing;
  }

  static BouncyCastleVersions found() {
    return FOUND;
  }

  private static BouncyCastleVersions find() {
    String bcprov = null;
    try {
      Class<?> jce = Class.forName(JCE_PROVIDER, false, BouncyCastleVersions.class.getClassLoader());
      bcprov = bundleVersion(jce, "bcprov");
      if (bcprov == null) {
        bcprov = ((java.security.Provider) jce.getConstructor().newInstance()).getVersionStr();
      }
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      // bcprov is a required dependency: without it nothing here works, and the class path
      // problem shows elsewhere first. Leave the release unknown rather than fail here.
    }
    try {
      Class<?> jsse = Class.forName(JSSE_PROVIDER, false, BouncyCastleVersions.class.getClassLoader());
      readJsseModule(jsse.getModule());
      return new BouncyCastleVersions(bundleVersion(jsse, "bctls"), bcprov, null);
    } catch (ClassNotFoundException | LinkageError e) {
      return new BouncyCastleVersions(null, bcprov, e);
    }
  }

  /**
   * Lets this module read the one bctls came in, before any class of this module links to
   * bctls ({@code BcJsse}, built only after {@link TlsProvider#unavailabilityCause()} asked
   * here). This module only {@code requires static org.bouncycastle.tls}: with this module on
   * the module path and bctls on the class path (where build tools put a jar no module
   * requires) bctls is in the unnamed module, which a named module does not read, and the
   * first BCJSSE context would fail with an {@code IllegalAccessError}. On the class path, or
   * with bctls on the module path, this module reads it already.
   */
  private static void readJsseModule(Module jsse) {
    Module self = BouncyCastleVersions.class.getModule();
    if (!self.canRead(jsse)) {
      self.addReads(jsse);
    }
  }

  /** The bctls release, or {@code null} when bctls is missing or its release cannot be read. */
  @Nullable String bctls() {
    return jsseMissing != null ? null : bctls;
  }

  /** Whether the bctls classes are missing. */
  boolean jsseMissing() {
    return jsseMissing != null;
  }

  /** The bcprov release, or {@code null} when it cannot be read. */
  @Nullable String bcprov() {
    return bcprov;
  }

  /** Like {@code "bctls 1.84 with bcprov 1.87"}, or {@code "bctls not found; bcprov 1.87"}. */
  String describe() {
    return jsseMissing != null
        ? "bctls not found; " + label("bcprov", bcprov)
        : label("bctls", bctls) + " with " + label("bcprov", bcprov);
  }

  private static String label(String jar, @Nullable String release) {
    return release != null ? jar + " " + release : jar + " (release unknown)";
  }

  /** Why BCJSSE cannot be used here, or {@code null}. */
  @Nullable Throwable unavailabilityCause() {
    if (jsseMissing != null) {
      return new MtlsException("Bouncy Castle JSSE not found: add org.bouncycastle:bctls-jdk18on to the"
          + " class path or module path (" + describe() + ")", jsseMissing);
    }
    String problem = mismatch(bctls, bcprov);
    return problem == null ? null : new MtlsException("Bouncy Castle JSSE cannot run on this mix: " + problem);
  }

  /**
   * Whether a bctls release can run on a bcprov release. bctls calls into bcprov as of its own
   * release, so a bcprov older than the bctls lacks what it calls: bctls 1.84 on bcprov 1.83
   * fails every handshake with {@code NoClassDefFoundError: org/bouncycastle/jcajce/util/SpiUtil}.
   * A bcprov newer than the bctls passes the handshake suites (bctls 1.84 on bcprov 1.87, the
   * mix mtls-core is built with). An unreadable release is given the benefit of the doubt.
   *
   * @return why not, or {@code null} when the mix is fine or cannot be judged
   */
  static @Nullable String mismatch(@Nullable String bctls, @Nullable String bcprov) {
    int[] tls = parse(bctls);
    int[] prov = parse(bcprov);
    if (tls == null || prov == null) {
      return null;
    }
    if (compare(tls, prov) > 0) {
      return "bctls " + bctls + " needs bcprov " + bctls + " or later, but bcprov " + bcprov
          + " was found; align org.bouncycastle:bcprov-jdk18on (and bcutil-jdk18on) with bctls or newer";
    }
    return null;
  }

  /** {@code "1.87"}, {@code "1.80.2"} as numbers; {@code null} when not a release number. */
  static int @Nullable [] parse(@Nullable String version) {
    if (version == null || !version.matches("\\d+(\\.\\d+)*")) {
      return null;
    }
    String[] parts = version.split("\\.");
    int[] numbers = new int[parts.length];
    try {
      for (int i = 0; i < parts.length; i++) {
        numbers[i] = Integer.parseInt(parts[i]);
      }
    } catch (NumberFormatException e) {
      return null;
    }
    return numbers;
  }

  private static int compare(int[] a, int[] b) {
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      int x = i < a.length ? a[i] : 0;
      int y = i < b.length ? b[i] : 0;
      if (x != y) {
        return Integer.compare(x, y);
      }
    }
    return 0;
  }

  /** The {@code Bundle-Version} of the jar that defined {@code type}, if it is that jar's own manifest. */
  private static @Nullable String bundleVersion(Class<?> type, String symbolicName) {
    Manifest manifest = manifestOf(type);
    if (manifest == null) {
      return null;
    }
    Attributes main = manifest.getMainAttributes();
    String name = main.getValue("Bundle-SymbolicName");
    if (name == null || !name.split(";")[0].trim().equals(symbolicName)) {
      return null;
    }
    String version = main.getValue("Bundle-Version");
    return version == null || version.isBlank() ? null : version.trim();
  }

  private static @Nullable Manifest manifestOf(Class<?> type) {
    try {
      Module module = type.getModule();
      if (module.isNamed()) {
        // Not encapsulated: META-INF is not a package.
        try (InputStream in = module.getResourceAsStream("META-INF/MANIFEST.MF")) {
          return in == null ? null : new Manifest(in);
        }
      }
      String classFile = type.getName().replace('.', '/') + ".class";
      URL classUrl = type.getResource("/" + classFile);
      if (classUrl == null || !classUrl.toString().endsWith(classFile)) {
        return null;
      }
      String root = classUrl.toString().substring(0, classUrl.toString().length() - classFile.length());
      // A multi-release jar may serve the class from META-INF/versions/N/.
      root = root.replaceFirst("META-INF/versions/\\d+/$", "");
      URLConnection connection = URI.create(root + "META-INF/MANIFEST.MF").toURL().openConnection();
      connection.setUseCaches(false);
      try (InputStream in = connection.getInputStream()) {
        return new Manifest(in);
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
