package dev.mtls.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that gives every test a fresh {@link TestCa}. Register it with {@link
 * WithTestCa} or {@code @ExtendWith(TestCaExtension.class)}; then
 *
 * <ul>
 *   <li>a parameter or non-static field of type {@link TestCa} gets the test's CA (one CA per
 *       test, the same for all fields and parameters of that test);
 *   <li>a parameter or non-static field of type {@link TestClock} gets that CA's clock;
 *   <li>a parameter or non-static field of type {@code Path} annotated {@link CaDirectory} gets
 *       a fresh empty temporary directory, deleted after the test.
 * </ul>
 *
 * <pre>{@code
 * @WithTestCa
 * class ServerTest {
 *   TestCa ca;
 *
 *   @Test
 *   void rejectsExpiredClient(TestClock clock, @CaDirectory Path directory) {
 *     ca.server("localhost").writePem(directory);
 *     clock.advance(Duration.ofDays(2));
 *     ...
 *   }
 * }
 * }</pre>
 *
 * <p>Fields are filled before each test, before {@code @BeforeEach} methods run. In a
 * {@code @BeforeAll} method a parameter gets one CA (and directory) for the whole class.
 * Static fields are left alone: a test class may keep its own shared CA there.
 *
 * <p>JUnit is an optional dependency of the testkit: only this class and {@link WithTestCa}
 * need it.
 */
public final class TestCaExtension
    implements BeforeEachCallback, AfterEachCallback, AfterAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(TestCaExtension.class);

  /** Creates the extension; JUnit does this when the extension is registered. */
  public TestCaExtension() {}

  /**
   * Fills the {@code TestCa}, {@code TestClock} and {@code @CaDirectory Path} fields of the
   * test instances.
   *
   * @param context the test's context
   */
  @Override
  public void beforeEach(ExtensionContext context) {
    for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
      for (Class<?> type = instance.getClass(); type != Object.class; type = type.getSuperclass()) {
        for (Field field : type.getDeclaredFields()) {
          injectField(context, instance, field);
        }
      }
    }
  }

  private static void injectField(ExtensionContext context, Object instance, Field field) {
    boolean directory = field.isAnnotationPresent(CaDirectory.class);
    Class<?> type = field.getType();
    if (directory && type != Path.class) {
      throw new ExtensionConfigurationException(
          "@CaDirectory field " + describe(field) + " must be of type java.nio.file.Path, not "
              + type.getName());
    }
    if (!directory && type != TestCa.class && type != TestClock.class) {
      return;
    }
    if (Modifier.isStatic(field.getModifiers())) {
      return;
    }
    if (Modifier.isFinal(field.getModifiers())) {
      throw new ExtensionConfigurationException(
          "cannot inject into final field " + describe(field) + ": remove the final modifier");
    }
    Object value = directory ? newDirectory(context) : valueOf(type, context);
    try {
      field.setAccessible(true);
      field.set(instance, value);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new ExtensionConfigurationException(
          "cannot inject into field " + describe(field) + ": " + e, e);
    }
  }

  /**
   * Deletes the directories made for the test.
   *
   * @param context the test's context
   */
  @Override
  public void afterEach(ExtensionContext context) {
    deleteDirectories(context);
  }

  /**
   * Deletes the directories made for {@code @BeforeAll} parameters.
   *
   * @param context the test class's context
   */
  @Override
  public void afterAll(ExtensionContext context) {
    deleteDirectories(context);
  }

  /**
   * Says whether this extension resolves the parameter: {@code TestCa}, {@code TestClock} and
   * {@code @CaDirectory Path} parameters.
   *
   * @param parameterContext the parameter
   * @param extensionContext the test's context
   * @return whether {@link #resolveParameter} can resolve it
   */
  @Override
  public boolean supportsParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    Class<?> type = parameterContext.getParameter().getType();
    return type == TestCa.class
        || type == TestClock.class
        || parameterContext.isAnnotated(CaDirectory.class);
  }

  /**
   * Resolves a {@code TestCa}, {@code TestClock} or {@code @CaDirectory Path} parameter.
   *
   * @param parameterContext the parameter
   * @param extensionContext the test's context
   * @return the test's CA, its clock, or a new directory
   */
  @Override
  public Object resolveParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    Class<?> type = parameterContext.getParameter().getType();
    if (parameterContext.isAnnotated(CaDirectory.class)) {
      if (type != Path.class) {
        throw new ParameterResolutionException(
            "@CaDirectory parameter " + parameterContext.getParameter() + " of "
                + parameterContext.getDeclaringExecutable() + " must be of type"
                + " java.nio.file.Path, not " + type.getName());
      }
      return newDirectory(extensionContext);
    }
    return valueOf(type, extensionContext);
  }

  private static Object valueOf(Class<?> type, ExtensionContext context) {
    TestCa ca = context.getStore(NAMESPACE)
        .getOrComputeIfAbsent(key("ca", context), key -> TestCa.create(), TestCa.class);
    return type == TestClock.class ? ca.clock() : ca;
  }

  private static Path newDirectory(ExtensionContext context) {
    try {
      Path directory = Files.createTempDirectory("mtls-testkit-");
      directories(context).add(directory);
      return directory;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory: " + e, e);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Path> directories(ExtensionContext context) {
    return context.getStore(NAMESPACE)
        .getOrComputeIfAbsent(key("directories", context), key -> new ArrayList<Path>(), List.class);
  }

  private static void deleteDirectories(ExtensionContext context) {
    Object stored = context.getStore(NAMESPACE).remove(key("directories", context));
    if (stored == null) {
      return;
    }
    for (Object directory : (List<?>) stored) {
      try {
        FileWriting.deleteRecursively((Path) directory);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot delete the test's directory " + directory + ": " + e, e);
      }
    }
  }

  private static String describe(Field field) {
    return field.getDeclaringClass().getName() + "." + field.getName();
  }

  /**
   * A store key of one context only: stores also answer with their parents' values, and a
   * test must not get the CA made for a {@code @BeforeAll} method.
   */
  private static String key(String what, ExtensionContext context) {
    return what + " of " + context.getUniqueId();
  }
}
