package dev.mtls.core;

/**
 * How much an {@link IdentitySource} or a {@link TrustSource} may read from its files, so that
 * a file grown by mistake (a log appended to a key file, a whole disk image given as the CA
 * bundle) or a named pipe fails the load with a message instead of filling the heap. The
 * limits hold at {@code build()} and at every reload; nothing beyond the limit (and one byte to
 * notice it) is ever read into memory.
 *
 * <p>The {@link #defaults()}: at most <b>1 MiB</b> per file (a certificate chain is a few KB, the
 * whole Mozilla CA bundle about 220 KB), and for a {@linkplain TrustSource#pemDirectory
 * directory} of CA certificates at most <b>1,000</b> certificate files and <b>16 MiB</b> in all.
 * A source with a larger CA bundle says so:
 *
 * <pre>{@code
 * TrustSource trust = TrustSource.pemFile(Path.of("/etc/tls/all-cas.pem"))
 *     .withLimits(MaterialLimits.builder().maxFileSize(8 * 1024 * 1024).build());
 * }</pre>
 *
 * <p>A file over its limit is an {@link MtlsLoadException} naming the file, its size and the
 * limit. Immutable.
 */
public final class MaterialLimits {
  private static final long MIB = 1024 * 1024;
  private static final long DEFAULT_MAX_FILE_SIZE = MIB;
  private static final int DEFAULT_MAX_DIRECTORY_FILES = 1_000;
  private static final long DEFAULT_MAX_DIRECTORY_SIZE = 16 * MIB;
  /** A material file is read into one array: far below {@code Integer.MAX_VALUE}. */
  private static final long MAX_FILE_SIZE = 256 * MIB;
  private static final int MAX_DIRECTORY_FILES = 100_000;
  private static final long MAX_DIRECTORY_SIZE = 1024 * MIB;

  private static final MaterialLimits DEFAULTS = new MaterialLimits(
      DEFAULT_MAX_FILE_SIZE, DEFAULT_MAX_DIRECTORY_FILES, DEFAULT_MAX_DIRECTORY_SIZE);

  private final long maxFileSize;
  private final int maxDirectoryFiles;
  private final long maxDirectorySize;

  private MaterialLimits(long maxFileSize, int maxDirectoryFiles, long maxDirectorySize) {
    this.maxFileSize = maxFileSize;
    this.maxDirectoryFiles = maxDirectoryFiles;
    this.maxDirectorySize = maxDirectorySize;
  }

  /**
   * The limits every source starts with: 1 MiB per file; for a directory, 1,000 certificate
   * files and 16 MiB in all.
   *
   * @return the default limits
   */
  public static MaterialLimits defaults() {
    return DEFAULTS;
  }

  /**
   * Limits that differ from the defaults.
   *
   * @return a builder starting from {@link #defaults()}
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The largest file a source reads: a PEM certificate chain, a PEM key, a PEM CA bundle, a
   * PKCS#12 file, or one file of a CA directory.
   *
   * @return bytes; 1 MiB by default
   */
  public long maxFileSize() {
    return maxFileSize;
  }

  /**
   * The most certificate files ({@code *.pem}, {@code *.crt}, {@code *.cer}) a CA directory
   * may hold.
   *
   * @return a count; 1,000 by default
   */
  public int maxDirectoryFiles() {
    return maxDirectoryFiles;
  }

  /**
   * The most a CA directory's certificate files may hold together.
   *
   * @return bytes; 16 MiB by default
   */
  public long maxDirectorySize() {
    return maxDirectorySize;
  }

  /**
   * Whether the other limits are the same.
   *
   * @param o any object
   * @return {@code true} for limits with the same three values
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof MaterialLimits other
        && maxFileSize == other.maxFileSize
        && maxDirectoryFiles == other.maxDirectoryFiles
        && maxDirectorySize == other.maxDirectorySize;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(maxFileSize) * 961 + maxDirectoryFiles * 31 + Long.hashCode(maxDirectorySize);
  }

  /**
   * The three limits, in bytes and files.
   *
   * @return such as {@code MaterialLimits{maxFileSize=1048576, maxDirectoryFiles=1000,
   *     maxDirectorySize=16777216}}
   */
  @Override
  public String toString() {
    return "MaterialLimits{maxFileSize=" + maxFileSize + ", maxDirectoryFiles=" + maxDirectoryFiles
        + ", maxDirectorySize=" + maxDirectorySize + "}";
  }

  /** Builds {@link MaterialLimits}, starting from the defaults. */
  public static final class Builder {
    private long maxFileSize = DEFAULT_MAX_FILE_SIZE;
    private int maxDirectoryFiles = DEFAULT_MAX_DIRECTORY_FILES;
    private long maxDirectorySize = DEFAULT_MAX_DIRECTORY_SIZE;

    private Builder() {}

    /**
     * The largest file a source reads. Default 1 MiB.
     *
     * @param bytes from 1 byte to 256 MiB
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxFileSize(long bytes) {
      this.maxFileSize = inRange("maxFileSize", bytes, MAX_FILE_SIZE);
      return this;
    }

    /**
     * The most certificate files a CA directory may hold. Default 1,000.
     *
     * @param count from 1 to 100,000
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxDirectoryFiles(int count) {
      this.maxDirectoryFiles = (int) inRange("maxDirectoryFiles", count, MAX_DIRECTORY_FILES);
      return this;
    }

    /**
     * The most a CA directory's certificate files may hold together. Default 16 MiB.
     *
     * @param bytes from 1 byte to 1,024 MiB
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxDirectorySize(long bytes) {
      this.maxDirectorySize = inRange("maxDirectorySize", bytes, MAX_DIRECTORY_SIZE);
      return this;
    }

    /**
     * The limits.
     *
     * @return the immutable limits
     */
    public MaterialLimits build() {
      return new MaterialLimits(maxFileSize, maxDirectoryFiles, maxDirectorySize);
    }

    private static long inRange(String name, long value, long max) {
      if (value < 1 || value > max) {
        throw new IllegalArgumentException(name + " must be between 1 and " + max + ": " + value);
      }
      return value;
    }
  }
}
