package dev.mtls.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.core.IdentitySource;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerPolicy;
import dev.mtls.core.ReloadPolicy;
import dev.mtls.core.TrustSource;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The filter's rules are checked when it is built or initialised, with messages naming what is wrong. */
class MtlsFilterRulesTest {
  private static final PeerPolicy ADMINS = PeerPolicy.builder().allowCommonNames("admin-client").build();

  private final TestCa ca = TestCa.create();
  private final MtlsContext context = server(ca);

  @AfterEach
  void close() {
    context.close();
  }

  @Test
  void ruleUnderAnExemptPrefix_isAnError_namingBoth() {
    assertThatThrownBy(() -> MtlsFilter.builder(context).exemptPaths("/docs/*").rule("/docs/admin", ADMINS).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exempt path /docs/*")
        .hasMessageContaining("rule /docs/admin")
        .hasMessageContaining("both match \"/docs/admin\"");
  }

  @Test
  void nestedPrefixes_areAnError_namingBoth() {
    assertThatThrownBy(() -> MtlsFilter.builder(context).rule("/api/*", ADMINS)
        .rule("/api/admin/*", PeerPolicy.anyTrustedPeer()).build())
        .hasMessageContaining("rule /api/*")
        .hasMessageContaining("rule /api/admin/*")
        .hasMessageContaining("\"/api/admin\"");
  }

  @Test
  void theSamePathTwice_andEverythingPrefix_areErrors() {
    assertThatThrownBy(() -> MtlsFilter.builder(context).exemptPaths("/health", "/health").build())
        .hasMessageContaining("both match \"/health\"");
    assertThatThrownBy(() -> MtlsFilter.builder(context).exemptPaths("/*").rule("/admin", ADMINS).build())
        .hasMessageContaining("exempt path /*");
    assertThatThrownBy(() -> MtlsFilter.builder(context).exemptPaths("/docs").rule("/docs/*", ADMINS).build())
        .as("a prefix includes its base").hasMessageContaining("both match \"/docs\"");
  }

  @Test
  void neighbouringPaths_doNotOverlap() {
    MtlsFilter filter = MtlsFilter.builder(context).exemptPaths("/health", "/docs/*")
        .rule("/admin/*", ADMINS).rule("/healthz", ADMINS).rule("/docsx/*", ADMINS).build();

    PathRules rules = filter.rules();
    assertThat(rules.find("/health").exempt()).isTrue();
    assertThat(rules.find("/docs").exempt()).isTrue();
    assertThat(rules.find("/docs/a/b").exempt()).isTrue();
    assertThat(rules.find("/docsx/a").exempt()).isFalse();
    assertThat(rules.find("/health/")).as("exact means exact").isNull();
    assertThat(rules.find("/Health")).as("case-sensitive").isNull();
    assertThat(rules.find("/adminx")).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"health", "/a/../b", "/a/./b", "//a", "/a;x=1", "/a/*/b", "/a*", "/a\\b", "/a%2e", "/a/",
      "/a/**", "/a\u0000"})
  void nonCanonicalPattern_isRefused_naming(String pattern) {
    assertThatThrownBy(() -> MtlsFilter.builder(context).exemptPaths(pattern))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("path pattern " + Json.quote(pattern));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a//b", "/a/./b", "/a/../b", "/a/..", "/a/.", "/a;b", "/a\\b", "/a%2fb", "a", "",
      "/a\u0000b", "/a\rb"})
  void nonCanonicalRequestPath_isNotCanonical(String path) {
    assertThat(Paths.canonical(path)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/a", "/a/", "/a/b.c", "/a/..b", "/a/.b", "/\u20ac"})
  void canonicalRequestPath_isCanonical(String path) {
    assertThat(Paths.canonical(path)).isTrue();
  }

  @Test
  void initParameters_buildTheRules() throws ServletException {
    MtlsFilter filter = new MtlsFilter();
    filter.init(config(Map.of("EXEMPT_PATHS", "/health, /docs/*", "ALLOWED_COMMON_NAMES", "orders, billing",
        "ALLOWED_COMMON_NAMES@/admin/*", "admin-client", "REQUIRED_ISSUER@/admin/*", ca.subject().getName())));

    assertThat(filter.rules().find("/docs/x").exempt()).isTrue();
    assertThat(filter.rules().find("/admin/users").exempt()).isFalse();
  }

  @Test
  void unknownInitParameter_isAnError_namingItAndTheKnownOnes() {
    assertThatThrownBy(() -> new MtlsFilter().init(config(Map.of("ALLOWED_COMMON_NAME", "orders"))))
        .isInstanceOf(ServletException.class)
        .hasMessageContaining("unknown init parameter \"ALLOWED_COMMON_NAME\"")
        .hasMessageContaining("ALLOWED_COMMON_NAMES");
  }

  @Test
  void badInitParameterValues_areErrors_namingTheParameter() {
    assertThatThrownBy(() -> new MtlsFilter().init(config(Map.of("ALLOWED_COMMON_NAMES@/admin/*", "a,,b"))))
        .hasMessageContaining("ALLOWED_COMMON_NAMES@/admin/*").hasMessageContaining("empty item");
    assertThatThrownBy(() -> new MtlsFilter().init(config(Map.of("REQUIRED_ISSUER@/admin/*", "not a DN"))))
        .hasMessageContaining("REQUIRED_ISSUER@/admin/*");
    assertThatThrownBy(() -> new MtlsFilter().init(config(Map.of("ALLOWED_PEERS", "everyone"))))
        .hasMessageContaining("is not 'any'");
    assertThatThrownBy(() -> new MtlsFilter().init(config(Map.of("ALLOWED_COMMON_NAMES@admin", "a"))))
        .hasMessageContaining("path pattern \"admin\"");
  }

  @Test
  void filterWithoutContextInTheServletContext_failsToStart_sayingWhere() {
    MtlsFilter filter = new MtlsFilter();
    FilterConfig config = config(Map.of(), servletContext(null));

    assertThatThrownBy(() -> filter.init(config))
        .isInstanceOf(ServletException.class)
        .hasMessageContaining("servlet context attribute \"dev.mtls.core.MtlsContext\" holds no MtlsContext");
  }

  @Test
  void builtFilter_refusesInitParameters() {
    MtlsFilter filter = MtlsFilter.builder(context).build();

    assertThatThrownBy(() -> filter.init(config(Map.of("EXEMPT_PATHS", "/health"))))
        .isInstanceOf(ServletException.class)
        .hasMessageContaining("reads no init parameters");
  }

  @Test
  void problemText_isEscapedJson() {
    assertThat(Json.quote("a\"b\\c</script>\u2028\r\n")).isEqualTo("\"a\\\"b\\\\c\\u003c/script\\u003e\\u2028\\u000d\\u000a\"");
  }

  private FilterConfig config(Map<String, String> parameters) {
    return config(parameters, servletContext(context));
  }

  /** Jetty's own servlet context, holding the MtlsContext as the application would put it there. */
  private static ServletContext servletContext(MtlsContext context) {
    ServletContext servletContext = new ServletContextHandler().getServletContext();
    if (context != null) {
      servletContext.setAttribute(MtlsFilter.CONTEXT_ATTRIBUTE, context);
    }
    return servletContext;
  }

  private static FilterConfig config(Map<String, String> parameters, ServletContext servletContext) {
    return new FilterConfig() {
      @Override
      public String getFilterName() {
        return "mtls";
      }

      @Override
      public ServletContext getServletContext() {
        return servletContext;
      }

      @Override
      public String getInitParameter(String name) {
        return parameters.get(name);
      }

      @Override
      public Enumeration<String> getInitParameterNames() {
        return Collections.enumeration(List.copyOf(parameters.keySet()));
      }
    };
  }

  private static MtlsContext server(TestCa ca) {
    IssuedCertificate certificate = ca.server("localhost");
    return MtlsContext.forServer()
        .identity(IdentitySource.of(certificate.privateKey(), certificate.chain()))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .reload(ReloadPolicy.disabled())
        .logging(false)
        .build();
  }
}
