package dev.mtls.core.internal.tls;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;

/**
 * Restricts signature schemes through {@code SSLParameters.setSignatureSchemes}, which the
 * JDK has from Java 19 on. On Java 17 there is no per-context way (only a JVM-wide system
 * property, which a library must not set), so this does nothing there.
 */
public final class JdkSignatureSchemes {
  private static final @Nullable MethodHandle SETTER = find();

  private JdkSignatureSchemes() {}

  /**
   * Whether this JDK lets a context restrict its signature schemes.
   *
   * @return {@code true} from Java 19 on
   */
  public static boolean isSupported() {
    return SETTER != null;
  }

  /**
   * Restricts the schemes where the JDK allows it; names the JDK does not know are ignored
   * by the JDK.
   *
   * @param parameters the parameters to change
   * @param schemes the schemes to allow, by their RFC 8446 names
   */
  public static void apply(SSLParameters parameters, List<String> schemes) {
    if (SETTER == null) {
      return;
    }
    try {
      SETTER.invoke(parameters, (Object) schemes.toArray(new String[0]));
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("SSLParameters.setSignatureSchemes failed", e);
    }
  }

  private static @Nullable MethodHandle find() {
    try {
      return MethodHandles.publicLookup().findVirtual(SSLParameters.class, "setSignatureSchemes",
          MethodType.methodType(void.class, String[].class));
    } catch (NoSuchMethodException | IllegalAccessException e) {
      return null;
    }
  }
}
