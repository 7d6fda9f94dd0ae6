package dev.mtls.core.internal.tls;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;

/**
 * Key-exchange groups through {@code SSLParameters.setNamedGroups} and {@code getNamedGroups},
 * which the JDK has from Java 20 on (the library compiles for Java 17, so through method
 * handles). On Java 17 to 19 there is no per-connection way, only the JVM-wide
 * {@code jdk.tls.namedGroups} system property, which a library must not set.
 */
public final class JdkNamedGroups {
  private static final @Nullable MethodHandle SETTER = find("setNamedGroups",
      MethodType.methodType(void.class, String[].class));
  private static final @Nullable MethodHandle GETTER = find("getNamedGroups",
      MethodType.methodType(String[].class));

  private JdkNamedGroups() {}

  /**
   * Whether this JDK takes named groups per connection.
   *
   * @return {@code true} from Java 20 on
   */
  public static boolean isSupported() {
    return SETTER != null && GETTER != null;
  }

  /**
   * The named groups of parameters.
   *
   * @param parameters the parameters
   * @return the groups, or {@code null} when they are not set or this JDK has no such setting
   */
  public static String @Nullable [] get(SSLParameters parameters) {
    if (GETTER == null) {
      return null;
    }
    try {
      return (String[]) GETTER.invoke(parameters);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("SSLParameters.getNamedGroups failed", e);
    }
  }

  /**
   * Sets the named groups where this JDK takes them; does nothing on Java 17 to 19.
   *
   * @param parameters the parameters to change
   * @param groups the groups, most preferred first
   */
  public static void set(SSLParameters parameters, List<String> groups) {
    if (SETTER == null) {
      return;
    }
    try {
      SETTER.invoke(parameters, (Object) groups.toArray(new String[0]));
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("SSLParameters.setNamedGroups failed", e);
    }
  }

  /**
   * The groups a JDK context supports.
   *
   * @param supported the context's supported parameters
   * @return the group names, or {@code null} on Java 17 to 19
   */
  public static @Nullable List<String> supported(SSLParameters supported) {
    String[] groups = get(supported);
    return groups == null ? null : List.copyOf(Arrays.asList(groups));
  }

  private static @Nullable MethodHandle find(String name, MethodType type) {
    try {
      return MethodHandles.publicLookup().findVirtual(SSLParameters.class, name, type);
    } catch (NoSuchMethodException | IllegalAccessException e) {
      return null;
    }
  }
}
