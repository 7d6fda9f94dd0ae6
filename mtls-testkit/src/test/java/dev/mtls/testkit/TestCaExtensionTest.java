package dev.mtls.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

@WithTestCa
class TestCaExtensionTest {
  private static final Set<TestCa> CAS_SEEN = new HashSet<>();
  private static final List<Path> DIRECTORIES_MADE = new ArrayList<>();
  private static final TestCa SHARED = TestCa.create();

  TestCa ca;
  TestClock clock;
  @CaDirectory Path fieldDirectory;
  private TestCa seenInBeforeEach;

  @BeforeEach
  void beforeEach(TestCa parameter) {
    seenInBeforeEach = parameter;
  }

  @AfterAll
  static void directoriesAreDeletedAfterEachTest() {
    assertThat(DIRECTORIES_MADE).isNotEmpty().allSatisfy(d -> assertThat(d).doesNotExist());
  }

  @Test
  void fieldAndParameters_getTheSameCaOfThisTest(TestCa parameter, TestClock clockParameter) {
    assertThat(ca).isNotNull().isSameAs(parameter).isSameAs(seenInBeforeEach);
    assertThat(clockParameter).isSameAs(ca.clock()).isSameAs(clock);
    assertThat(SHARED).isNotSameAs(ca);
    assertThat(CAS_SEEN.add(ca)).isTrue();
  }

  @RepeatedTest(3)
  void everyTest_getsACaNoEarlierTestSaw(TestCa parameter) {
    assertThat(parameter).isSameAs(ca);
    assertThat(CAS_SEEN.add(ca)).as("CA %s was already given to an earlier test", ca).isTrue();
  }

  @Test
  void caDirectory_isAFreshEmptyDirectory_perFieldAndParameter(
      @CaDirectory Path first, @CaDirectory Path second) throws Exception {
    DIRECTORIES_MADE.add(first);
    DIRECTORIES_MADE.add(second);
    DIRECTORIES_MADE.add(fieldDirectory);

    assertThat(first).isDirectory().isEmptyDirectory();
    assertThat(List.of(first, second, fieldDirectory)).doesNotHaveDuplicates();
    ca.server("localhost").writePem(first.resolve("nested"));
    KubernetesSecretDirectory.create(second).update(ca.client("c"));
    assertThat(Files.list(first.resolve("nested"))).hasSize(5);
  }

  @Nested
  class InANestedClass {
    TestCa nestedCa;

    @Test
    void outerAndInnerFields_shareTheTestsCa(TestCa parameter) {
      assertThat(nestedCa).isSameAs(parameter).isSameAs(ca);
    }
  }
}
