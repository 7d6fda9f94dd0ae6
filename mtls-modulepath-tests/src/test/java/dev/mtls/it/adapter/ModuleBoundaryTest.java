package dev.mtls.it.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.core.MtlsContext;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleReader;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * These tests run on the module path, in the adapter module, and see mtls-core as every
 * other module does: the one exported package, and nothing of {@code dev.mtls.core.internal}.
 */
class ModuleBoundaryTest {
  private static final Module CORE = MtlsContext.class.getModule();
  private static final String API = "dev.mtls.core";

  @Test
  void theseTests_runInTheAdapterModule_andCoreIsANamedModuleOnTheModulePath() {
    assertThat(getClass().getModule().isNamed()).as("the tests run on the module path").isTrue();
    assertThat(getClass().getModule()).isSameAs(JsseAdapter.class.getModule());
    assertThat(getClass().getModule().getName()).isEqualTo("dev.mtls.it.adapter");
    assertThat(CORE.getName()).isEqualTo("dev.mtls.core");
    assertThat(getClass().getModule().canRead(CORE)).isTrue();
  }

  @Test
  void core_exportsOnlyItsApiPackage_andOpensNone() {
    ModuleDescriptor descriptor = CORE.getDescriptor();
    assertThat(descriptor.exports()).singleElement().satisfies(export -> {
      assertThat(export.source()).isEqualTo(API);
      assertThat(export.isQualified()).as("exported to everyone").isFalse();
    });
    assertThat(descriptor.opens()).isEmpty();
    assertThat(descriptor.isOpen()).isFalse();

    List<String> internal = CORE.getPackages().stream().filter(p -> p.startsWith(API + ".internal")).sorted().toList();
    assertThat(internal).contains(API + ".internal", API + ".internal.crl", API + ".internal.material",
        API + ".internal.reload", API + ".internal.tls", API + ".internal.validation");
    for (String pkg : internal) {
      assertThat(CORE.isExported(pkg)).as("%s exported", pkg).isFalse();
      assertThat(CORE.isExported(pkg, getClass().getModule())).as("%s exported to the adapter", pkg).isFalse();
      assertThat(CORE.isOpen(pkg, getClass().getModule())).as("%s open to the adapter", pkg).isFalse();
    }
  }

  @Test
  void internalClasses_canBeLoaded_butNotUsed_fromAnotherModule() throws Exception {
    // A public class with public static methods: only the module boundary stands in the way.
    Class<?> safeText = Class.forName(API + ".internal.SafeText", false, CORE.getClassLoader());
    assertThat(safeText.getModule()).isSameAs(CORE);
    assertThat(Modifier.isPublic(safeText.getModifiers())).isTrue();
    Method quote = safeText.getMethod("quote", String.class);

    assertThatThrownBy(() -> quote.invoke(null, "x")).isInstanceOf(IllegalAccessException.class)
        .hasMessageContaining(API + ".internal");
    assertThatThrownBy(() -> quote.setAccessible(true)).isInstanceOf(InaccessibleObjectException.class)
        .hasMessageContaining(API + ".internal");
  }

  @Test
  void apiObjects_keepTheirInsides_fromDeepReflection() throws Exception {
    Field managers = MtlsContext.class.getDeclaredField("trustManager");
    assertThatThrownBy(() -> managers.setAccessible(true)).isInstanceOf(InaccessibleObjectException.class)
        .hasMessageContaining(API);
  }

  /**
   * Every type an API member names (return, parameter, exception, field, supertype, type
   * argument or bound, permitted subclass) is one another module can use: from an exported
   * package. A public signature naming an internal type would compile in core and fail to
   * compile in every adapter.
   */
  @Test
  void apiSignatures_nameOnlyExportedTypes() throws Exception {
    List<Class<?>> api = apiTypes();
    assertThat(api).extracting(Class::getSimpleName)
        .contains("MtlsContext", "ContextChange", "Subscription", "TlsPolicy", "ClientAuth", "PeerVerifier");

    List<String> probe = new ArrayList<>();
    visit(Class.forName(API + ".internal.SafeText", false, CORE.getClassLoader()), "probe", probe, new HashSet<>());
    assertThat(probe).as("the check sees an internal type").hasSize(1);

    List<String> leaks = new ArrayList<>();
    for (Class<?> type : api) {
      Set<Type> seen = new HashSet<>();
      visit(type.getGenericSuperclass(), type.getName() + " extends", leaks, seen);
      for (Type parent : type.getGenericInterfaces()) {
        visit(parent, type.getName() + " implements", leaks, seen);
      }
      for (TypeVariable<?> variable : type.getTypeParameters()) {
        visit(variable, type.getName() + "<" + variable.getName() + ">", leaks, seen);
      }
      if (type.isSealed()) {
        for (Class<?> permitted : type.getPermittedSubclasses()) {
          visit(permitted, type.getName() + " permits", leaks, seen);
        }
      }
      for (Field field : type.getFields()) {
        visit(field.getGenericType(), type.getName() + "." + field.getName(), leaks, seen);
      }
      for (Executable member : members(type)) {
        String where = type.getName() + "." + member.getName() + "(..)";
        if (member instanceof Method method) {
          visit(method.getGenericReturnType(), where + " returns", leaks, seen);
        }
        for (Type parameter : member.getGenericParameterTypes()) {
          visit(parameter, where + " takes", leaks, seen);
        }
        for (Type thrown : member.getGenericExceptionTypes()) {
          visit(thrown, where + " throws", leaks, seen);
        }
        for (TypeVariable<?> variable : member.getTypeParameters()) {
          visit(variable, where + " <" + variable.getName() + ">", leaks, seen);
        }
      }
    }
    assertThat(leaks).as("API signatures that name types other modules cannot use").isEmpty();
  }

  /** The public types of the exported package, nested ones included, from the module's own jar. */
  private static List<Class<?>> apiTypes() throws IOException {
    ModuleReader reader = ModuleLayer.boot().configuration().findModule(CORE.getName()).orElseThrow()
        .reference().open();
    List<String> names;
    try (reader; Stream<String> entries = reader.list()) {
      names = entries.filter(e -> e.startsWith(API.replace('.', '/') + "/") && e.endsWith(".class"))
          .map(e -> e.substring(0, e.length() - ".class".length()).replace('/', '.'))
          .filter(name -> name.lastIndexOf('.') == API.length())
          .filter(name -> !name.endsWith("module-info") && !name.endsWith("package-info"))
          .sorted()
          .collect(Collectors.toList());
    }
    List<Class<?>> types = new ArrayList<>();
    for (String name : names) {
      Class<?> type = load(name);
      if (isApi(type)) {
        types.add(type);
      }
    }
    return types;
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, CORE.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new AssertionError("listed in the module but not loadable: " + name, e);
    }
  }

  private static boolean isApi(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getDeclaringClass()) {
      if (!Modifier.isPublic(c.getModifiers()) || c.isAnonymousClass() || c.isLocalClass()) {
        return false;
      }
    }
    return true;
  }

  /** Public members, inherited ones too, and protected ones a subclass in another module sees. */
  private static List<Executable> members(Class<?> type) {
    List<Executable> members = new ArrayList<>();
    for (Method method : type.getMethods()) {
      if (!method.isSynthetic() && !method.isBridge()) {
        members.add(method);
      }
    }
    for (Constructor<?> constructor : type.getConstructors()) {
      members.add(constructor);
    }
    if (!Modifier.isFinal(type.getModifiers())) {
      for (Method method : type.getDeclaredMethods()) {
        if (Modifier.isProtected(method.getModifiers()) && !method.isSynthetic()) {
          members.add(method);
        }
      }
      for (Constructor<?> constructor : type.getDeclaredConstructors()) {
        if (Modifier.isProtected(constructor.getModifiers())) {
          members.add(constructor);
        }
      }
    }
    return members;
  }

  private static void visit(Type type, String where, List<String> leaks, Set<Type> seen) {
    if (type == null || !seen.add(type)) {
      return;
    }
    if (type instanceof Class<?> c) {
      Class<?> element = c;
      while (element.isArray()) {
        element = element.getComponentType();
      }
      if (element.isPrimitive()) {
        return;
      }
      Module module = element.getModule();
      String pkg = element.getPackageName();
      if (module.isNamed() && !module.isExported(pkg)) {
        leaks.add(where + " " + element.getName() + " (package " + pkg + " of " + module.getName() + " is not exported)");
      } else if (module == CORE && !isApi(element)) {
        leaks.add(where + " " + element.getName() + " (not public)");
      }
    } else if (type instanceof ParameterizedType parameterized) {
      visit(parameterized.getRawType(), where, leaks, seen);
      visit(parameterized.getOwnerType(), where, leaks, seen);
      for (Type argument : parameterized.getActualTypeArguments()) {
        visit(argument, where, leaks, seen);
      }
    } else if (type instanceof WildcardType wildcard) {
      for (Type bound : wildcard.getUpperBounds()) {
        visit(bound, where, leaks, seen);
      }
      for (Type bound : wildcard.getLowerBounds()) {
        visit(bound, where, leaks, seen);
      }
    } else if (type instanceof TypeVariable<?> variable) {
      for (Type bound : variable.getBounds()) {
        visit(bound, where, leaks, seen);
      }
    } else if (type instanceof GenericArrayType array) {
      visit(array.getGenericComponentType(), where, leaks, seen);
    }
  }
}
