package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MaterialLimitsTest {
  @Test
  void defaults_allowOneMebibytePerFile_andAThousandFilesOfSixteenMebibytesPerDirectory() {
    MaterialLimits limits = MaterialLimits.defaults();

    assertThat(limits.maxFileSize()).isEqualTo(1024 * 1024);
    assertThat(limits.maxDirectoryFiles()).isEqualTo(1_000);
    assertThat(limits.maxDirectorySize()).isEqualTo(16 * 1024 * 1024);
    assertThat(MaterialLimits.builder().build()).isEqualTo(limits).hasSameHashCodeAs(limits);
  }

  @Test
  void builder_changesOnlyWhatItIsTold() {
    MaterialLimits limits = MaterialLimits.builder().maxFileSize(8 * 1024 * 1024).build();

    assertThat(limits.maxFileSize()).isEqualTo(8 * 1024 * 1024);
    assertThat(limits.maxDirectoryFiles()).isEqualTo(1_000);
    assertThat(limits).isNotEqualTo(MaterialLimits.defaults());
    assertThat(limits.toString()).isEqualTo(
        "MaterialLimits{maxFileSize=8388608, maxDirectoryFiles=1000, maxDirectorySize=16777216}");
  }

  @Test
  void builder_refusesValuesOutOfRange_namingTheSetting() {
    assertThatThrownBy(() -> MaterialLimits.builder().maxFileSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxFileSize must be between 1 and 268435456: 0");
    assertThatThrownBy(() -> MaterialLimits.builder().maxFileSize(Long.MAX_VALUE))
        .hasMessageStartingWith("maxFileSize must be between 1 and 268435456: ");
    assertThatThrownBy(() -> MaterialLimits.builder().maxDirectoryFiles(-1))
        .hasMessage("maxDirectoryFiles must be between 1 and 100000: -1");
    assertThatThrownBy(() -> MaterialLimits.builder().maxDirectorySize(2L << 30))
        .hasMessage("maxDirectorySize must be between 1 and 1073741824: 2147483648");
  }
}
